/**
 * ringscan (ringscan.c next to this file), when it was built: the walk, stat, read and byte search
 * of a whole tree in one native pass on all cores, and the scan cache's stat check. Node's own walk
 * and ripgrep remain for machines without a C compiler and for trees whose .gitignore files apply.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SourceKind } from '../files/source-kind.js';

export interface FileStamp {
  size: number;
  /** Nanoseconds, as a decimal string: exact where a double is not. */
  mtimeNs: string;
  ino: string;
}

export interface WalkedFile extends FileStamp {
  /** Absolute real path. */
  path: string;
  kind: SourceKind;
  /**
   * What the search found (ringscan.c's FLAG_* bits; any makes the file one the scan reads).
   * TypeScript and JavaScript files are stamped, not read (0).
   */
  flags: number;
}

/** ringscan.c's FLAG_* bits. */
const STATUS_WORD = 1;
const OTHER_INCLUDE = 4;

/** The file holds the status word, or is one the scan must read to report (binary, unreadable). */
export function namesStatusOrIsUnusable(file: WalkedFile): boolean {
  return (file.flags & ~OTHER_INCLUDE) !== 0;
}

/** The file includes by quoted path a file of a kind the walk does not take (it is scanned as C). */
export function includesUnwalkedFiles(file: WalkedFile): boolean {
  return (file.flags & OTHER_INCLUDE) !== 0;
}

/**
 * `tp_status` or a `TP_STATUS_` name as a word: the status word wherever it stands. Only
 * `block_status` has look-alikes (fields of many other structs) that a syntax tree must tell apart.
 */
export function namesStatusUnambiguously(file: WalkedFile): boolean {
  return (file.flags & STATUS_WORD) !== 0;
}

export interface WalkedDirectory {
  path: string;
  mtimeNs: string;
  ino: string;
}

/** One record of the walk, in the order a depth-first walk visiting entries by name meets them. */
export type WalkEntry =
  | ({ type: 'directory' } & WalkedDirectory)
  | ({ type: 'file' } & WalkedFile)
  | { type: 'symlink'; path: string }
  /** A non-regular file with a scanned kind's name. */
  | { type: 'special'; path: string; what: 'fifo' | 'socket' | 'device' | 'other' }
  | { type: 'unreadable-directory'; path: string; code: string };

const BINARY = fileURLToPath(new URL('../../native/ringscan', import.meta.url));

let built: boolean | undefined;

/**
 * The binary's path when it was built and RINGLINT_PREFILTER (for tests and comparisons: `ripgrep`
 * or `workers`) does not ask for another engine.
 */
export function ringscanBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.RINGLINT_PREFILTER === 'ripgrep' || env.RINGLINT_PREFILTER === 'workers') return undefined;
  if (built === undefined) {
    try {
      accessSync(BINARY, constants.X_OK);
      built = true;
    } catch {
      built = false;
    }
  }
  return built ? BINARY : undefined;
}

const KINDS: Readonly<Record<string, SourceKind>> = { c: 'c', m: 'markdown', r: 'rst', t: 'typescript' };

/** Walks `roots` (real directory paths); files larger than `maxFileSize` are only searched for the status word and NUL. */
export async function walkNatively(binary: string, roots: readonly string[], maxFileSize: number): Promise<WalkEntry[]> {
  const { stdout } = await run(binary, ['walk', String(maxFileSize), ...roots]);
  return stdout.toString('utf8').split('\0').filter((record) => record !== '').map(parseWalkRecord);
}

function parseWalkRecord(record: string): WalkEntry {
  const fields = splitFields(record, FIELD_COUNTS[record[0] ?? ''] ?? 1);
  switch (fields[0]) {
    case 'D':
      return { type: 'directory', mtimeNs: fields[1]!, ino: fields[2]!, path: fields[3]! };
    case 'F':
      return {
        type: 'file', kind: KINDS[fields[1]!] ?? 'c', size: Number(fields[2]), mtimeNs: fields[3]!, ino: fields[4]!, flags: Number(fields[5]), path: fields[6]!,
      };
    case 'L':
      return { type: 'symlink', path: fields[1]! };
    case 'S':
      return { type: 'special', what: fields[1] as 'fifo' | 'socket' | 'device' | 'other', path: fields[2]! };
    case 'E':
      return { type: 'unreadable-directory', code: fields[1]!, path: fields[2]! };
    default:
      throw new Error(`ringscan printed an unknown record: ${JSON.stringify(record.slice(0, 80))}`);
  }
}

const FIELD_COUNTS: Readonly<Record<string, number>> = { D: 4, F: 7, L: 2, S: 3, E: 3 };

export type StampCheck =
  | { changed: true }
  /** `token`: the one the stamps file names, to be matched with the report's. */
  | { changed: false; token: string; contentChecks: Array<{ sha1: string; path: string }> };

/** Checks a stamps file written by the scan cache; `racyFromNs`: stamps this recent prove nothing. */
export async function verifyStamps(binary: string, stampsFile: string, racyFromNs: bigint): Promise<StampCheck> {
  const { stdout, code } = await run(binary, ['verify', stampsFile, String(racyFromNs)], [0, 1]);
  if (code === 1) return { changed: true };
  const [header = '', ...records] = stdout.toString('utf8').split('\0').filter((record) => record !== '');
  const contentChecks = records.map((record) => {
    const [sha1, path] = splitFields(record, 2);
    return { sha1: sha1!, path: path! };
  });
  return { changed: false, token: header.slice('H\t'.length), contentChecks };
}

/** The path comes last and may hold tabs: only the first `count - 1` tabs separate fields. */
function splitFields(record: string, count: number): string[] {
  const fields: string[] = [];
  let start = 0;
  for (let index = 0; index < count - 1; index++) {
    const tab = record.indexOf('\t', start);
    if (tab < 0) break;
    fields.push(record.slice(start, tab));
    start = tab + 1;
  }
  fields.push(record.slice(start));
  return fields;
}

function run(binary: string, args: string[], okCodes: readonly number[] = [0]): Promise<{ stdout: Buffer; code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== null && okCodes.includes(code)) resolve({ stdout: Buffer.concat(out), code });
      else {
        const detail = Buffer.concat(err).toString().trim();
        reject(new Error(`ringscan ${args[0]} failed (${signal ?? `exit ${code}`})${detail ? `: ${detail}` : ''}`));
      }
    });
  });
}
