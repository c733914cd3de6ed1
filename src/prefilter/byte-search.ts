/**
 * Files' bytes against a prefilter query, in the calling thread: the search where ringscan's does
 * not answer (machines without a C compiler, and the names later rounds look for). Worker threads
 * measured no faster on the no-compiler path (Linux 6.1's 58 655 files), and one path is simpler.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { fsPath } from '../files/path-bytes.js';
import { definitionPattern, STATUS_NEEDLES, type PrefilterQuery } from './byte-prefilter.js';

/** The paths among `paths` the query selects, or that the scan must read to report them. */
export function selectedByBytes(paths: readonly string[], query: PrefilterQuery): Set<string> {
  const selects = contentSelectedBy(query);
  let buffer = Buffer.allocUnsafe(1 << 20);
  return new Set(paths.filter((path) => {
    let fd: number;
    try {
      // O_NONBLOCK: a FIFO that replaced the file since the walk must not hang the search.
      fd = openSync(fsPath(path), constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      return true; // unreadable: the scan reads it again and reports why
    }
    try {
      const size = fstatSync(fd).size;
      if (size > buffer.length) buffer = Buffer.allocUnsafe(size);
      const bytes = buffer.subarray(0, readSync(fd, buffer, 0, size, 0));
      if (bytes.indexOf(0) !== -1) return true; // binary: reported by the scan
      return selects(bytes);
    } catch {
      return true;
    } finally {
      closeSync(fd);
    }
  }));
}

/** A predicate on content (a file's bytes, a document block's text): whether the query selects it. */
export function contentSelectedBy(query: PrefilterQuery): (content: Buffer | string) => boolean {
  const needles = query.needles.map((needle) => Buffer.from(needle));
  const definitionNames = query.definitions.map((name) => Buffer.from(name));
  const definitions = query.definitions.length > 0 ? new RegExp(definitionPattern(query.definitions), 'm') : undefined;
  return (content) => {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    if (needles.some((needle) => bytes.indexOf(needle) !== -1)) return true;
    if (query.nonHeaderIncludes && includesNonHeader(bytes)) return true;
    if (!definitions || !definitionNames.some((name) => bytes.indexOf(name) !== -1)) return false;
    return definitions.test(bytes.toString('latin1'));
  };
}

/** `include "name"` where name does not end in `.h`, as the rest of a line. */
const NON_HEADER_INCLUDE = /^include[ \t]*"[^"\n]*([^h"\n]|[^.\n]h)"/;
const INCLUDE = Buffer.from('include');

/**
 * Whether the bytes include a non-header by quoted path (`PrefilterQuery.nonHeaderIncludes`). The
 * expression is tried only where the bytes say `include`, on the rest of that line: decoded and
 * matched whole, files took most of a kernel scan's time without ringscan.
 */
function includesNonHeader(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(INCLUDE); at !== -1; at = bytes.indexOf(INCLUDE, at + INCLUDE.length)) {
    const lineEnd = bytes.indexOf(0x0a, at);
    if (NON_HEADER_INCLUDE.test(bytes.toString('latin1', at, lineEnd === -1 ? bytes.length : lineEnd))) return true;
  }
  return false;
}

/** Whether content names the status word: what a scan's first round looks for. */
export const namesStatusWord = contentSelectedBy({ needles: STATUS_NEEDLES, definitions: [] });
