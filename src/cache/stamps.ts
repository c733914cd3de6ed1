/**
 * Stamps: what the scan cache records of a file or directory to tell later, from stat alone, that
 * it did not change. As in git's index: size, mtime, ctime and inode. ctime matters because mtime
 * can be set back (`touch -d`, tar, rsync -t) and nothing sets ctime back: a rewrite that kept size
 * and restored mtime went unseen without it (F10).
 *
 * The records, NUL-terminated, fields separated by tabs, the path last (it may hold tabs):
 *   F size mtime_ns ctime_ns ino sha1|- path   a regular file; sha1 of the text the scan read,
 *                                              '-' when it read none (any change is a change)
 *   D mtime_ns ctime_ns ino path               a directory walked (mtime: no entry came or went)
 *   A path                                     a file that must stay absent (an ignore file or a
 *                                              tsconfig.json that would change the scan)
 * framed by "H token" first and "T token" last. ringscan (src/native/ringscan.c) writes the F and D
 * records of its walks, content hashes included, and checks whole stamps files (`ringscan verify`);
 * Node keeps what it wrote as bytes. This module is the same format's other writer and checker: the
 * records for what Node stamps (what ringscan did not walk), and the check where ringscan was not
 * built. test/native/stamps-agree.test.ts feeds each one's stamps to the other's check.
 *
 * A stamp whose mtime is at or after the racy bound (a little before the scan began) proves
 * nothing, as in git's index: the file may have changed within the clock's granularity of the
 * stamp, or between its reading and its stamp (Node stamps after the analysis). A racy file is
 * compared by content when its text is known, a racy directory is a change. ctime is compared, not
 * judged racy (as git): a change made during the scan that also set mtime back would go unseen, but
 * the tree a scan just extracted or chmod-ed would never be cached on the first try.
 */
import { constants } from 'node:buffer';
import { statSync, type BigIntStats } from 'node:fs';
import { fsPath, pathFromBytes, pathToBytes } from '../files/path-bytes.js';
import { readRegularFileSync } from '../files/read-regular-file.js';
import { sha1Of } from './crypto-on-demand.js';

/** What a stamp records of stat(2): nanoseconds and sizes as bigints, written in decimal. */
export type FileStamp = Pick<BigIntStats, 'size' | 'mtimeNs' | 'ctimeNs' | 'ino'>;

/** Tabs before the path in each kind of record. */
const TABS_BEFORE_PATH: Readonly<Record<'F' | 'D' | 'A', number>> = { F: 6, D: 4, A: 1 };

/** The stamp of what `path` names now (following links), or undefined when there is nothing to stat. */
export function stampOf(path: string): BigIntStats | undefined {
  try {
    // No exception for a vanished file: a cache stats every file of a kernel tree.
    return statSync(fsPath(path), { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** `text`: what the scan read of the file, whose hash lets a later check tell a `touch` from an edit; undefined when it read none. */
export function fileRecord(stamp: FileStamp, text: string | undefined, path: string): Buffer {
  const sha1 = text === undefined ? '-' : sha1Of(text);
  return record(`F\t${stamp.size}\t${stamp.mtimeNs}\t${stamp.ctimeNs}\t${stamp.ino}\t${sha1}\t`, path);
}

/**
 * `stamps` (ringscan's) with the SHA-1 of the text the scan read (`texts`, by path) in each F record
 * that has none: ringscan hashes only the files it lists, and the scan reads others in later
 * rounds (the callers of a helper, a macro's definition). A `touch` of one is then told from an
 * edit, as Node's own records tell it. One pass over the records, comparing paths as bytes.
 */
export function withContentHashes(stamps: Buffer, texts: ReadonlyMap<string, string>): Buffer {
  if (texts.size === 0) return stamps;
  const byBytes = new Map([...texts].map(([path, text]) => [pathToBytes(path).toString('latin1'), text]));
  const parts: Buffer[] = [];
  let copied = 0;
  for (let start = 0, end = stamps.indexOf(0); end !== -1; start = end + 1, end = stamps.indexOf(0, start)) {
    if (stamps[start] !== 0x46) continue; // 'F'
    let hashAt = start;
    for (let tabs = 5; tabs > 0 && hashAt !== -1; tabs--) hashAt = stamps.indexOf(9, hashAt + 1);
    if (hashAt === -1 || hashAt >= end || stamps[hashAt + 1] !== 0x2d || stamps[hashAt + 2] !== 9) continue; // "\t-\t"
    const text = byBytes.get(stamps.toString('latin1', hashAt + 3, end));
    if (text === undefined) continue;
    parts.push(stamps.subarray(copied, hashAt + 1), Buffer.from(sha1Of(text)));
    copied = hashAt + 2;
  }
  return copied === 0 ? stamps : Buffer.concat([...parts, stamps.subarray(copied)]);
}

export function directoryRecord(stamp: FileStamp, path: string): Buffer {
  return record(`D\t${stamp.mtimeNs}\t${stamp.ctimeNs}\t${stamp.ino}\t`, path);
}

export function absentRecord(path: string): Buffer {
  return record('A\t', path);
}

export function frameRecord(kind: 'H' | 'T', token: string): Buffer {
  return Buffer.from(`${kind}\t${token}\0`);
}

function record(head: string, path: string): Buffer {
  return Buffer.concat([Buffer.from(head), pathToBytes(path), NUL]);
}

const NUL = Buffer.of(0);

export type StampCheck =
  | { changed: true }
  /** `token`: the one the stamps file names, to be matched with the report's. */
  | { changed: false; token: string };

/** `ringscan verify`, in Node: for machines where it was not built. */
export function checkStamps(content: Buffer, racyFromNs: bigint): StampCheck {
  const records: Buffer[] = [];
  for (let start = 0, end = content.indexOf(0); end !== -1; start = end + 1, end = content.indexOf(0, start)) records.push(content.subarray(start, end));
  const header = records[0]?.toString('utf8') ?? '';
  const trailer = records.at(-1)?.toString('utf8') ?? '';
  // A file cut short (no trailer, or bytes after it) or one being replaced is not a set of stamps.
  const complete = records.length >= 2 && content.at(-1) === 0;
  if (!complete || !header.startsWith('H\t') || !trailer.startsWith('T\t') || header.slice(2) !== trailer.slice(2)) return { changed: true };
  for (const bytes of records.slice(1, -1)) {
    const kind = String.fromCharCode(bytes[0] ?? 0);
    if (kind !== 'F' && kind !== 'D' && kind !== 'A') return { changed: true };
    const fields: string[] = [];
    let start = 2;
    for (let tabs = TABS_BEFORE_PATH[kind] - 1; tabs > 0; tabs--) {
      const tab = bytes.indexOf(9, start);
      if (tab < 0) return { changed: true };
      fields.push(bytes.toString('latin1', start, tab));
      start = tab + 1;
    }
    const path = pathFromBytes(bytes, start);
    const stats = stampOf(path);
    if (kind === 'A') {
      if (stats) return { changed: true };
      continue;
    }
    if (!stats || !(kind === 'F' ? stats.isFile() : stats.isDirectory())) return { changed: true };
    const [size, mtimeNs, ctimeNs, ino, sha1] = kind === 'F' ? fields : [String(stats.size), ...fields];
    if (String(stats.size) !== size) return { changed: true };
    const same = String(stats.mtimeNs) === mtimeNs && String(stats.ctimeNs) === ctimeNs && String(stats.ino) === ino &&
      stats.mtimeNs < racyFromNs; // a stamp taken too close to the scan vouches for nothing
    if (same) continue;
    if (sha1 === undefined || sha1 === '-' || sha1OfFile(path) !== sha1) return { changed: true };
  }
  return { changed: false, token: header.slice(2) };
}

/** The SHA-1 of a file's bytes, read as ringscan reads them (no waiting on a FIFO); undefined when it cannot be read. */
function sha1OfFile(path: string): string | undefined {
  try {
    return sha1Of(readRegularFileSync(path, constants.MAX_LENGTH, { followLinks: true }));
  } catch {
    return undefined;
  }
}
