/**
 * ringscan's walk protocol (ringscan.c next to this file): the walk, stat, read and byte search of
 * a whole tree in one native pass on all cores, its entries as they come, and its stamps file. Node's
 * own walk remains for machines without a C compiler and for trees whose .gitignore files apply.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { closeSync, fstatSync, openSync, readSync, unlinkSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { getSystemErrorName } from 'node:util';
import { pathFromBytes, pathToBytes } from '../files/path-bytes.js';
import { languageOfKind, SOURCE_EXTENSIONS, sourceKindOf, type SourceKind } from '../files/source-kind.js';
import { inWalkOrder } from '../files/walk-order.js';
import { LANGUAGES } from '../languages/table.js';
import type { WalkedFile } from './walked-file.js';

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

export interface NativeWalk {
  /** The entries to act on, in the order a depth-first walk visiting entries by name meets them. */
  entries: WalkEntry[];
  /** Regular files of scanned kinds walked, among `entries` or not. */
  fileCount: number;
  /**
   * The stamps of every file and directory walked, as ringscan wrote them for the scan cache, and
   * the files stamped. The walk is over when its entries are known, and ringscan sorts and writes
   * its stamps only once asked (the first call): a scan asks as soon as it knows it will need them,
   * and the analysis goes on meanwhile.
   */
  stamps(): Promise<WalkStamps>;
  /** Lets ringscan end without writing its stamps, when they were not asked for. */
  release(): void;
}

/** A walk's stamps file: the stamps, kept as bytes, then the paths of the files stamped. */
export interface WalkStamps {
  /** NUL-terminated records of the scan cache's stamps file (ringscan.c says which): a scan only stores them. */
  stamps: Buffer;
  /** The real paths of the files stamped, in walk order: read only by a scan that must list every file. */
  files(): string[];
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
  /** How many files were walked, once every entry is reported. */
  fileCount: Promise<number>;
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
  let counted: (fileCount: number) => void = () => undefined;
  const walk: WalkProcess = {
    args, child, stampsFile, entries: [], onEntry: () => undefined, stderr: [],
    fileCount: new Promise((resolve) => (counted = resolve)),
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
        counted(Number(record.slice(2)));
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
    keepsNodeRunning(walk, false);
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
    keepsNodeRunning(walk, true);
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

async function runWalkProtocol(
  binary: string, args: string[], input: Buffer | undefined, onEntry: (entry: WalkEntry) => void, prestarted?: WalkProcess,
): Promise<NativeWalk> {
  const walk = prestarted ?? startWalkProcess(binary, args, input);
  walk.entries.forEach(onEntry);
  walk.onEntry = onEntry;
  // The count comes before the process ends: once it is in, the stamps' reader reports a later failure.
  const outcome = await Promise.race([walk.fileCount, walk.closed]);
  if (typeof outcome !== 'number') {
    closeSync(walk.stampsFile);
    throw walk.failure ?? processFailure(walk, outcome.code, outcome.signal);
  }
  // Until its stamps are asked for, the process keeps nothing alive: it ends with the input.
  keepsNodeRunning(walk, false);
  return { entries: inWalkOrder(walk.entries, (entry) => entry.path), fileCount: outcome, ...stampsOf(walk, input === undefined) };
}

/** `stamps` and `release` of a walk whose entries are all out; `onRequest`: ringscan writes its stamps only when asked. */
function stampsOf(walk: WalkProcess, onRequest: boolean): Pick<NativeWalk, 'stamps' | 'release'> {
  let stamps: Promise<WalkStamps> | undefined;
  let released = false;
  return {
    stamps: () => {
      if (released) return Promise.reject(new Error('ringscan: stamps asked for after the walk was released'));
      stamps ??= (async () => {
        if (onRequest) walk.child.stdin.end('S');
        keepsNodeRunning(walk, true);
        const { code, signal } = await walk.closed;
        try {
          if (code !== 0) throw processFailure(walk, code, signal);
          return readStampsFile(walk.stampsFile);
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

/** Whether the process and its output pipes keep Node running (until the stamps are asked for, they do not). */
function keepsNodeRunning(walk: WalkProcess, keeps: boolean): void {
  for (const handle of [walk.child, walk.child.stdout as Socket, walk.child.stderr as Socket]) {
    if (keeps) handle.ref();
    else handle.unref();
  }
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

/** The stamps file ringscan wrote, read from its start: the descriptor's offset is where ringscan stopped writing. */
function readStampsFile(descriptor: number): WalkStamps {
  const whole = Buffer.allocUnsafe(fstatSync(descriptor).size);
  // One pread(2) gives all of a regular file (readSync takes no more than 2 GiB at once, as before).
  const content = whole.subarray(0, readSync(descriptor, whole, 0, whole.length, 0));
  // The paths start with the first record that starts with '/': a stamp starts with its kind.
  const stampBytes = content.indexOf('\0/') + 1 || content.length;
  const paths = content.subarray(stampBytes);
  return {
    stamps: content.subarray(0, stampBytes),
    files: () => {
      const files: string[] = [];
      for (let start = 0, end = paths.indexOf(0); end !== -1; start = end + 1, end = paths.indexOf(0, start)) files.push(pathFromBytes(paths, start, end));
      return files;
    },
  };
}

/**
 * A walk record: its type, an F record's search letter, size (not kept) and flags, another's one
 * field, and the path, last and absolute (it may hold tabs; no field starts with '/').
 */
const WALK_RECORD = /^([FLSEU])\t(?:[cmrt]\t\d+\t(\d+)\t|(\w+)\t)?(\/.*)$/s;

function parseWalkRecord(record: string): WalkEntry {
  const [, type, flags, field, path = ''] = WALK_RECORD.exec(record) ?? [];
  // errno numbers (E, U) are named as Node names its own errors: libuv's codes are their negations.
  const code = (): string => getSystemErrorName(-Number(field));
  // A file's kind by name, as the table says: ringscan's letter says only how it was searched.
  if (type === 'F' && flags !== undefined) return { type: 'file', kind: sourceKindOf(path) ?? 'c', flags: Number(flags), path };
  if (type === 'L' && field === undefined) return { type: 'symlink', path };
  if (type === 'S' && field !== undefined) return { type: 'special', what: field as 'fifo' | 'socket' | 'device' | 'other', path };
  if (type === 'E' && field !== undefined) return { type: 'unreadable-directory', code: code(), path };
  if (type === 'U' && field !== undefined) return { type: 'unreadable-file', code: code(), path };
  throw new Error(`ringscan printed an unknown record: ${JSON.stringify(record.slice(0, 80))}`);
}

/**
 * What ringscan takes and looks for, from the language table and the status-word vocabulary (it
 * keeps no copy): each extension with how ringscan treats it (c: read and searched, quoted
 * includes too; m, r: documents, searched; t: stamped only), and the needles of the languages whose
 * files the byte search selects.
 */
export function vocabularyArguments(): string[] {
  // Every extension has a kind.
  const kinds = SOURCE_EXTENSIONS.map((extension) => `${kindLetter(sourceKindOf(`x${extension}`)!)}=${extension.slice(1)}`);
  const needles = LANGUAGES.filter((language) => language.selection === 'needles').flatMap((language) => language.vocabulary.needles);
  const texts = (unambiguous: boolean): string => [...new Set(needles.filter((needle) => needle.unambiguous === unambiguous).map((needle) => needle.text))].join(',');
  const lookAlikes = texts(false);
  return [
    '--kinds', kinds.join(','),
    '--words', texts(true),
    ...(lookAlikes ? ['--look-alikes', lookAlikes] : []),
  ];
}

/** How ringscan treats files of a kind (see `vocabularyArguments`). */
export function kindLetter(kind: SourceKind): string {
  if (kind === 'markdown') return 'm';
  if (kind === 'rst') return 'r';
  return languageOfKind(kind)?.selection === 'every-file' ? 't' : 'c';
}
