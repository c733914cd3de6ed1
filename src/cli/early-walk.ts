/**
 * A scan the cache cannot answer spends most of its time in ringscan's walk, and the CLI takes
 * ~50 ms to load on one core. So for a `scan` whose command line says which walk it will ask for,
 * that walk starts first thing, and the scan's discovery takes it over (native/ringscan.ts). It says
 * so when its first path is a directory that ringscan walks: --no-ignore, or outside any git work
 * tree (inside one, ignore files apply and Node walks). A command line this does not follow starts
 * nothing; a walk nothing takes over is stopped.
 */
import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { gitWorkTreeTop } from '../files/git-work-tree.js';
import { prestartWalk } from '../native/ringscan.js';
import { ringscanBinary } from '../native/ringscan-binary.js';
import { DEFAULT_MAX_FILE_SIZE } from '../scan/max-file-size.js';
import { fileSizeLimit } from './byte-size.js';

/** The options of `scan` that take a value (lint-options.ts declares them; a test keeps the two equal). */
export const SCAN_VALUE_OPTIONS: ReadonlySet<string> = new Set(['--format', '--severity', '--max-warnings', '--max-file-size', '-o', '--output', '--baseline', '--config']);
/** Its options that take none. */
export const SCAN_FLAG_OPTIONS: ReadonlySet<string> = new Set(['--no-prefilter', '--no-ignore', '--no-cache', '-q', '--quiet', '--fix', '--fix-dry-run']);

export interface EarlyWalk {
  /** The real path of the directory walked. */
  root: string;
  maxFileSize: number;
}

export function startEarlyWalk(args: readonly string[], cwd: string): void {
  const binary = ringscanBinary();
  const walk = binary ? earlyWalkFor(args, cwd) : undefined;
  if (binary && walk) prestartWalk(binary, [walk.root], walk.maxFileSize);
}

/** The walk the scan `args` will ask ringscan for first; undefined when that is not certain. */
export function earlyWalkFor(args: readonly string[], cwd: string): EarlyWalk | undefined {
  if (args[0] !== 'scan') return undefined;
  const paths: string[] = [];
  const options = new Map<string, string | true>();
  for (let index = 1; index < args.length; index++) {
    const arg = args[index]!; // within length
    if (!arg.startsWith('-') || arg === '-') {
      paths.push(arg);
      continue;
    }
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = equals === -1 ? arg : arg.slice(0, equals);
    if (SCAN_VALUE_OPTIONS.has(name)) {
      const value = equals === -1 ? args[++index] : arg.slice(equals + 1);
      if (value === undefined) return undefined;
      options.set(name, value);
    } else if (SCAN_FLAG_OPTIONS.has(arg)) {
      options.set(arg, true);
    } else {
      return undefined; // --help, `--`, bundled short options, a mistake: commander decides
    }
  }
  const sizeText = options.get('--max-file-size');
  const maxFileSize = typeof sizeText === 'string' ? fileSizeLimit(sizeText) : DEFAULT_MAX_FILE_SIZE;
  if (maxFileSize === undefined) return undefined;
  const path = resolve(cwd, paths[0] ?? '.');
  try {
    if (!statSync(path).isDirectory()) return undefined;
    if (!options.has('--no-ignore') && gitWorkTreeTop(path) !== undefined) return undefined;
    return { root: realpathSync(path), maxFileSize };
  } catch {
    return undefined; // the scan reports a missing path itself
  }
}
