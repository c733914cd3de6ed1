/**
 * ringscan (ringscan.c next to this file), when it was built: the walk, stat, read and byte search
 * of a whole tree in one native pass on all cores, and the scan cache's stat check. Node's own walk
 * and ripgrep remain for machines without a C compiler and for trees whose .gitignore files apply.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { accessSync, closeSync, constants, fstatSync, openSync, readSync, unlinkSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { TABS_BEFORE_PATH, type StampCheck } from '../cache/stamps.js';
import { pathFromBytes, pathToBytes } from '../files/path-bytes.js';
import { languageOfKind, SOURCE_EXTENSIONS, sourceKindOf, type SourceKind } from '../files/source-kind.js';
import { LANGUAGES } from '../languages/table.js';

export interface WalkedFile {
  /** Absolute real path (bytes outside UTF-8 escaped: files/path-bytes.ts). */
  path: string;
  size: number;
  kind: SourceKind;
  /**
   * What the search found (ringscan.c's FLAG_* bits; any makes the file one the scan reads).
   * TypeScript and JavaScript files are stamped, not read (0).
   */
  flags: number;
}

/** What ringscan's search found in a file (a file it walked without listing: nothing). */
export type SearchFlags = Pick<WalkedFile, 'flags'>;

export const NOTHING_FOUND: SearchFlags = { flags: 0 };

/** ringscan.c's FLAG_* bits. */
const STATUS_WORD = 1;
const OTHER_INCLUDE = 4;

/** The file holds the status word, or is one the scan must read to report (binary, unreadable). */
export function namesStatusOrIsUnusable(file: SearchFlags): boolean {
  return (file.flags & ~OTHER_INCLUDE) !== 0;
}

/** The file includes by quoted path a file of a kind the walk does not take (it is scanned as C). */
export function includesUnwalkedFiles(file: SearchFlags): boolean {
  return (file.flags & OTHER_INCLUDE) !== 0;
}

/**
 * `tp_status` or a `TP_STATUS_` name as a word: the status word wherever it stands. Only
 * `block_status` has look-alikes (fields of many other structs) that a syntax tree must tell apart.
 */
export function namesStatusUnambiguously(file: SearchFlags): boolean {
  return (file.flags & STATUS_WORD) !== 0;
}

/** An entry of the walk the caller acts on (other files are only counted and stamped). */
export type WalkEntry =
  /** A file the search flagged, or a TypeScript/JavaScript file. */
  | ({ type: 'file' } & WalkedFile)
  | { type: 'symlink'; path: string }
  /** A non-regular file with a scanned kind's name. */
  | { type: 'special'; path: string; what: 'fifo' | 'socket' | 'device' | 'other' }
  | { type: 'unreadable-directory'; path: string; code: string }
  /** A file of a scanned kind that could be neither opened nor stat'ed (in a directory that can be read but not entered). */
  | { type: 'unreadable-file'; path: string; code: string };

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

/**
 * What ringscan takes and looks for, from the language table and the status-word vocabulary (it
 * keeps no copy): each extension with how ringscan treats it (c: read and searched, quoted
 * includes too; m, r: documents, searched; t: stamped only), and the needles of the languages whose
 * files the byte search selects.
 */
export function vocabularyArguments(): string[] {
  const byLetter = new Map<string, string[]>();
  for (const extension of SOURCE_EXTENSIONS) {
    const letter = kindLetter(sourceKindOf(`x${extension}`)!); // every extension has a kind
    byLetter.set(letter, [...(byLetter.get(letter) ?? []), extension.slice(1)]);
  }
  const needles = LANGUAGES.filter((language) => language.selection === 'needles').flatMap((language) => language.vocabulary.needles);
  const texts = (unambiguous: boolean): string => [...new Set(needles.filter((needle) => needle.unambiguous === unambiguous).map((needle) => needle.text))].join(',');
  const lookAlikes = texts(false);
  return [
    '--kinds', [...byLetter].map(([letter, extensions]) => `${letter}=${extensions.join(',')}`).join(';'),
    '--words', texts(true),
    ...(lookAlikes ? ['--look-alikes', lookAlikes] : []),
  ];
}

/** How ringscan treats files of a kind (see `vocabularyArguments`). */
function kindLetter(kind: SourceKind): string {
  if (kind === 'markdown') return 'm';
  if (kind === 'rst') return 'r';
  return languageOfKind(kind)?.selection === 'every-file' ? 't' : 'c';
}

export interface NativeWalk {
  /** The entries to act on, in the order a depth-first walk visiting entries by name meets them. */
  entries: WalkEntry[];
  /** Regular files of scanned kinds walked, among `entries` or not. */
  fileCount: number;
  /**
   * The stamps of every file and directory walked, as the scan cache records them (F and D records
   * of cache/stamps.ts, the sha1 '-'), NUL-terminated, in walk order. Kept as bytes: a scan reads
   * them only to write the cache, or to list every file when it must. The walk is over when its
   * entries are known, and ringscan sorts and writes its stamps only once asked (the first call):
   * a scan asks as soon as it knows it will need them, and the analysis goes on meanwhile.
   */
  stamps(): Promise<Buffer>;
  /** Lets ringscan end without writing its stamps, when they were not asked for. */
  release(): void;
}

/**
 * Walks `roots` (real directory paths); files larger than `maxFileSize` are only searched for the
 * status word and NUL. `onEntry` hears of each entry as soon as ringscan finds it, in no order.
 * `prestarted`: a walk started earlier, used when it is this one.
 */
export function walkNatively(
  binary: string, roots: readonly string[], maxFileSize: number, onEntry: (entry: WalkEntry) => void = () => undefined, prestarted?: PrestartedWalk,
): Promise<NativeWalk> {
  const args = ['walk', String(maxFileSize), ...roots];
  return runWalkProtocol(binary, args, undefined, onEntry, prestarted?.take(binary, args));
}

/**
 * The walk's search, entries and stamps for files another walk chose (by real path): where ignore
 * files apply, Node's walk decides what is scanned and ringscan reads and searches it.
 */
export function searchNatively(
  binary: string, files: ReadonlyArray<{ realPath: string; kind: SourceKind }>, maxFileSize: number,
  onEntry: (entry: WalkEntry) => void = () => undefined,
): Promise<NativeWalk> {
  const records = Buffer.concat(files.map((file) => Buffer.concat([Buffer.from(`${kindLetter(file.kind)}\t`), pathToBytes(file.realPath), NUL])));
  return runWalkProtocol(binary, ['files', String(maxFileSize)], records, onEntry);
}

const NUL = Buffer.of(0);

/** A ringscan process of the walk protocol, what it has said so far, and the file it writes its stamps to. */
interface WalkProcess {
  args: readonly string[];
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  stampsFile: number;
  /** The entries reported so far, in no order. */
  entries: WalkEntry[];
  /** Hears of each entry reported from now on. */
  onEntry: (entry: WalkEntry) => void;
  /** Known once every entry is reported. */
  fileCount?: number;
  /** Hears that every entry is reported, and how many files were walked. */
  onCount: (fileCount: number) => void;
  stderr: Buffer[];
  /** Set when the process could not be started. */
  failure?: Error;
  /** Once it is gone and its output read. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWalkProcess(binary: string, args: readonly string[], input: Buffer | undefined): WalkProcess {
  const stampsFile = openUnlinkedFile();
  // Typed by hand: with a descriptor among them, Node's typings no longer see the three pipes.
  const child = spawn(binary, [...vocabularyArguments(), ...args], { stdio: ['pipe', 'pipe', 'pipe', stampsFile] }) as ChildProcessByStdio<Writable, Readable, Readable>;
  const walk: WalkProcess = {
    args, child, stampsFile, entries: [], onEntry: () => undefined, onCount: () => undefined, stderr: [],
    closed: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal }))),
  };
  // Read from the start, also before anyone takes the walk over: Node discards the unread output
  // of a process that has exited.
  let pending: Buffer = Buffer.alloc(0);
  child.stdout.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let start = 0;
    for (let end = pending.indexOf(0); end !== -1; end = pending.indexOf(0, start)) {
      // Names are bytes: decoded losslessly, so that the file can be opened by them again (F17).
      const record = pathFromBytes(pending, start, end);
      start = end + 1;
      if (record.startsWith('N\t')) {
        walk.fileCount = Number(record.slice(2));
        walk.onCount(walk.fileCount);
      } else {
        const entry = parseWalkRecord(record);
        walk.entries.push(entry);
        walk.onEntry(entry);
      }
    }
    pending = pending.subarray(start);
  });
  child.stderr.on('data', (chunk: Buffer) => walk.stderr.push(chunk));
  // A process that could not start reports 'error', then 'close'.
  child.on('error', (error) => {
    walk.failure = error;
  });
  // A ringscan that dies early closes its input: the error is its exit status, not EPIPE.
  child.stdin.on('error', () => undefined);
  // A walk reads its input only once its entries are out, to learn whether to write its stamps.
  if (input !== undefined) child.stdin.end(input);
  return walk;
}

/**
 * A walk started before anything asked for it (cli/prestart.ts), for the arguments a scan is expected
 * to ask for: the walk asking for exactly these uses it, once. Until then it keeps nothing alive, and
 * it is stopped when the process exits or its holder says nothing will use it.
 */
export class PrestartedWalk {
  private walk: WalkProcess | undefined;
  private readonly stopAtExit = (): void => this.stop();

  private constructor(private readonly binary: string, walk: WalkProcess) {
    this.walk = walk;
    walk.child.unref();
    for (const stream of [walk.child.stdout, walk.child.stderr]) (stream as Socket).unref();
    process.once('exit', this.stopAtExit);
  }

  /** Starts `walkNatively(binary, roots, maxFileSize)`'s ringscan now; undefined when it cannot start. */
  static start(binary: string, roots: readonly string[], maxFileSize: number): PrestartedWalk | undefined {
    try {
      return new PrestartedWalk(binary, startWalkProcess(binary, ['walk', String(maxFileSize), ...roots], undefined));
    } catch {
      return undefined; // no temporary file: the scan starts its own walk
    }
  }

  /** The walk, when it is the one asked for and not yet used or stopped. */
  take(binary: string, args: readonly string[]): WalkProcess | undefined {
    const { walk } = this;
    if (!walk || this.binary !== binary || walk.args.join('\0') !== args.join('\0')) return undefined;
    this.release();
    walk.child.ref();
    for (const stream of [walk.child.stdout, walk.child.stderr]) (stream as Socket).ref();
    return walk;
  }

  /** Stops the walk unless it was taken: the scan walked otherwise, or not at all. */
  stop(): void {
    const { walk } = this;
    if (!walk) return;
    this.release();
    walk.child.kill();
    walk.child.stdout.destroy();
    walk.child.stderr.destroy();
    closeSync(walk.stampsFile);
  }

  private release(): void {
    this.walk = undefined;
    process.off('exit', this.stopAtExit);
  }
}

function runWalkProtocol(
  binary: string, args: string[], input: Buffer | undefined, onEntry: (entry: WalkEntry) => void, prestarted?: WalkProcess,
): Promise<NativeWalk> {
  return new Promise((resolve, reject) => {
    let walk: WalkProcess;
    try {
      walk = prestarted ?? startWalkProcess(binary, args, input);
    } catch (error) {
      reject(error);
      return;
    }
    walk.entries.forEach(onEntry);
    walk.onEntry = onEntry;
    const counted = (fileCount: number): void => {
      // Until its stamps are asked for, the process keeps nothing alive: it ends with the input.
      walk.child.unref();
      for (const stream of [walk.child.stdout, walk.child.stderr]) (stream as Socket).unref();
      const sorted = walk.entries
        .map((entry) => ({ entry, key: walkOrderKey(entry.path) }))
        .sort((a, b) => Buffer.compare(a.key, b.key))
        .map(({ entry }) => entry);
      resolve({ entries: sorted, fileCount, ...stampsOf(walk, input === undefined) });
    };
    if (walk.fileCount === undefined) walk.onCount = counted;
    else counted(walk.fileCount);
    void walk.closed.then(({ code, signal }) => {
      if (walk.fileCount !== undefined) return; // the stamps' reader reports a later failure
      closeSync(walk.stampsFile);
      reject(walk.failure ?? processFailure(walk, code, signal));
    });
  });
}

/** `stamps` and `release` of a walk whose entries are all out; `onRequest`: ringscan writes its stamps only when asked. */
function stampsOf(walk: WalkProcess, onRequest: boolean): Pick<NativeWalk, 'stamps' | 'release'> {
  let stamps: Promise<Buffer> | undefined;
  let released = false;
  return {
    stamps: () => {
      if (released) return Promise.reject(new Error('ringscan: stamps asked for after the walk was released'));
      stamps ??= (async () => {
        if (onRequest) walk.child.stdin.end('S');
        walk.child.ref();
        for (const stream of [walk.child.stdout, walk.child.stderr]) (stream as Socket).ref();
        const { code, signal } = await walk.closed;
        try {
          if (code !== 0) throw processFailure(walk, code, signal);
          return readWholeFile(walk.stampsFile);
        } finally {
          closeSync(walk.stampsFile);
        }
      })();
      return stamps;
    },
    release: () => {
      if (stamps || released) return;
      released = true;
      if (onRequest) walk.child.stdin.end();
      closeSync(walk.stampsFile);
    },
  };
}

function processFailure(walk: WalkProcess, code: number | null, signal: NodeJS.Signals | null): Error {
  const detail = Buffer.concat(walk.stderr).toString().trim();
  return new Error(`ringscan ${walk.args[0]} failed (${signal ?? `exit ${code}`})${detail ? `: ${detail}` : ''}`);
}

/** A temporary file no other process can find, open for reading and writing; gone once closed. */
function openUnlinkedFile(): number {
  const path = join(tmpdir(), `ringlint-stamps-${process.pid}-${Date.now()}-${temporaryFiles++}`);
  // Exclusive creation: a file of that name already there (a stale one, or planted) is an error.
  const descriptor = openSync(path, 'wx+', 0o600);
  unlinkSync(path);
  return descriptor;
}

let temporaryFiles = 0;

function readWholeFile(descriptor: number): Buffer {
  const content = Buffer.allocUnsafe(fstatSync(descriptor).size);
  let done = 0;
  while (done < content.length) {
    const read = readSync(descriptor, content, done, content.length - done, done);
    if (read === 0) break;
    done += read;
  }
  return content.subarray(0, done);
}

/**
 * A path's bytes with each '/' made NUL, which no path holds: in plain byte order (a native compare,
 * where a loop over bytes in JavaScript took a cold scan 4 ms) these keys sort as `compareWalkOrder`.
 */
function walkOrderKey(path: string): Buffer {
  return pathToBytes(path.replaceAll('/', '\0'));
}

/** ringscan's order of paths (as bytes): '/' before any other byte, so a directory's files come before its siblings'. */
function compareWalkOrder(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    if (a[index] !== b[index]) return rankInWalkOrder(a[index]!) - rankInWalkOrder(b[index]!);
  }
  return a.length - b.length;
}

function rankInWalkOrder(byte: number): number {
  return byte === 0x2f ? -1 : byte;
}

/** A file or directory of a native walk's stamps. */
interface StampRecord {
  type: 'F' | 'D';
  path: string;
}

/** The paths in a walk's stamps, in walk order. */
export function stampedPaths(stamps: Buffer): StampRecord[] {
  return stampRecordBounds(stamps).map(({ start, pathStart, end }) => ({
    type: stamps[start] === F_BYTE ? 'F' : 'D',
    path: pathFromBytes(stamps, pathStart, end),
  }));
}

/**
 * The stamps with the content hash of some files filled in (by real path), found by binary search
 * in the walk order; `unplaced`: paths that have no record there.
 */
export function withContentHashes(stamps: Buffer, hashes: ReadonlyMap<string, string>): { stamps: Buffer; unplaced: string[] } {
  const placed: Array<{ dash: number; sha1: string }> = [];
  const unplaced: string[] = [];
  for (const [path, sha1] of hashes) {
    const record = findStampRecord(stamps, pathToBytes(path));
    // "F … - path": the '-' sits just before the path.
    if (record && stamps[record.start] === F_BYTE) placed.push({ dash: record.pathStart - 2, sha1 });
    else unplaced.push(path);
  }
  placed.sort((a, b) => a.dash - b.dash);
  const pieces: Buffer[] = [];
  let copied = 0;
  for (const { dash, sha1 } of placed) {
    pieces.push(stamps.subarray(copied, dash), Buffer.from(sha1));
    copied = dash + 1;
  }
  pieces.push(stamps.subarray(copied));
  return { stamps: Buffer.concat(pieces), unplaced };
}

interface StampRecordBounds {
  start: number;
  pathStart: number;
  /** The record's terminating NUL. */
  end: number;
}

/**
 * The record for `path`, by binary search over byte offsets: a kernel tree's stamps hold 64 000
 * records, and splitting them all to place a few dozen hashes took 40 ms.
 */
function findStampRecord(stamps: Buffer, path: Uint8Array): StampRecordBounds | undefined {
  // [low, high) always starts and ends at record boundaries.
  let low = 0;
  let high = stamps.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const start = middle === 0 ? 0 : stamps.lastIndexOf(0, middle - 1) + 1;
    const end = stamps.indexOf(0, middle);
    if (end < 0) return undefined; // not NUL-terminated: not stamps ringscan wrote
    const record = recordBounds(stamps, start, end);
    const order = compareWalkOrder(stamps.subarray(record.pathStart, record.end), path);
    if (order === 0) return record;
    if (order < 0) low = record.end + 1;
    else high = record.start;
  }
  return undefined;
}

const F_BYTE = 0x46;
const TAB = 0x09;

function stampRecordBounds(stamps: Buffer): StampRecordBounds[] {
  const bounds: StampRecordBounds[] = [];
  for (let start = 0, end = stamps.indexOf(0); end !== -1; start = end + 1, end = stamps.indexOf(0, start)) bounds.push(recordBounds(stamps, start, end));
  return bounds;
}

/** An F or D record's bounds: the path follows its last tab before it. */
function recordBounds(stamps: Buffer, start: number, end: number): StampRecordBounds {
  let pathStart = start;
  for (let tabs = TABS_BEFORE_PATH[stamps[start] === F_BYTE ? 'F' : 'D']; tabs > 0; tabs--) pathStart = stamps.indexOf(TAB, pathStart) + 1;
  return { start, pathStart, end };
}

function parseWalkRecord(record: string): WalkEntry {
  const fields = splitFields(record, FIELD_COUNTS[record[0] ?? ''] ?? 1);
  switch (fields[0]) {
    case 'F':
      // Its kind by name, as the table says: ringscan's letter says only how it was searched.
      return { type: 'file', kind: sourceKindOf(fields[4]!) ?? 'c', size: Number(fields[2]), flags: Number(fields[3]), path: fields[4]! };
    case 'L':
      return { type: 'symlink', path: fields[1]! };
    case 'S':
      return { type: 'special', what: fields[1] as 'fifo' | 'socket' | 'device' | 'other', path: fields[2]! };
    case 'E':
      return { type: 'unreadable-directory', code: fields[1]!, path: fields[2]! };
    case 'U':
      return { type: 'unreadable-file', code: fields[1]!, path: fields[2]! };
    default:
      throw new Error(`ringscan printed an unknown record: ${JSON.stringify(record.slice(0, 80))}`);
  }
}

const FIELD_COUNTS: Readonly<Record<string, number>> = { F: 5, L: 2, S: 3, E: 3, U: 3 };

/** Checks a stamps file written by the scan cache; `racyFromNs`: stamps this recent prove nothing. */
export async function verifyStamps(binary: string, stampsFile: string, racyFromNs: bigint): Promise<StampCheck> {
  const { stdout, code } = await run(binary, ['verify', stampsFile, String(racyFromNs)], [0, 1]);
  if (code === 1) return { changed: true };
  const [header = '', ...records] = pathFromBytes(stdout).split('\0').filter((record) => record !== '');
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
