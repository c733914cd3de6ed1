/**
 * The on-disk scan cache. A scan's findings depend on every file together (helpers and macros cross
 * files), so what is cached is the whole report, valid while nothing it depends on changed. Like
 * git's index, validity is decided from stat data alone (cache/stamps.ts): every directory walked
 * keeps its stamp (no file came or went), every file its size, mtime, ctime and inode, every ignore
 * file and tsconfig.json that could apply is as it was (or still absent), and so is every file a
 * TypeScript program loaded, inside the scanned roots or not. A file the scan had read is also
 * recognised by content when only its stat changed (a `touch`). No directory is listed and no
 * unchanged file is read on a hit. Cache files are read only if regular and bounded (F24).
 *
 * Two files per scan identity: `scan-<key>.json` (the report) and `scan-<key>.stamps` (the stamps,
 * NUL-terminated records that ringscan checks on all cores; Node checks them when it is not built),
 * and a `hint-<key>.json` per command line: the stamps file it used.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { readRegularFileSync } from '../files/read-regular-file.js';
import type { ScanReport } from '../model/finding.js';
import { ringscanBinary } from '../native/ringscan-binary.js';
import { verifyStamps } from '../native/ringscan-verify.js';
import { nodeCrypto } from './crypto-on-demand.js';
import { absentRecord, checkStamps, directoryRecord, fileRecord, frameRecord, stampOf, withContentHashes, type StampCheck } from './stamps.js';

/** Bumped when the cache's own format changes; the analyzer fingerprint covers code changes. */
const FORMAT = 6;

/**
 * Far beyond any cache file (a kernel tree's stamps are 7 MB): the bound is for what is no cache
 * file, a link to /dev/zero aborted the scan after allocating 16 GB (F24).
 */
const MAX_CACHE_FILE_BYTES = 256 * 1024 * 1024;

/** Coarser than any file system's timestamp granularity. */
const RACY_WINDOW_NS = 1_000_000_000n;

interface CacheFile {
  format: number;
  version: string;
  key: string;
  /** Names the stamps file written with this report: a pair from two different runs is not a cache. */
  token: string;
  /**
   * When the scan began: stamps taken since (within the clock's granularity) cannot tell two writes
   * apart, and Node stamps a file it read only after the analysis, so a change made meanwhile is
   * only seen as recent.
   */
  startedAtNs: string;
  report: ScanReport;
  reread: string[];
}

/** A cached scan: its report, and the files a hit reads again besides those its findings point into. */
export type CachedScan = Pick<CacheFile, 'report' | 'reread'>;

export interface CacheInputs {
  /**
   * Real path → text (undefined when the scan did not read it) of the files considered, except
   * those only the native walks' stamps name.
   */
  files: ReadonlyMap<string, string | undefined>;
  /** Directories walked, except those the native walks' stamps name. */
  directories: readonly string[];
  /**
   * Files whose appearance, change or disappearance would change the scan, their text unknown: ignore
   * files, tsconfig.json files looked for.
   */
  watched: readonly string[];
  /** Wall-clock nanoseconds when the scan began, before it read anything. */
  startedAtNs: bigint;
  /** The native walks' stamps (taken during the scan) and which files they cover; other paths are stat'ed now. */
  native?: { stamps: readonly Buffer[]; covers: (realPath: string) => boolean };
}

export function defaultCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ringlint');
}

function sha1Of(text: string): string {
  return nodeCrypto().createHash('sha1').update(text).digest('hex');
}

/**
 * What an invocation leaves for the next identical one (same arguments, directory and engine): the
 * stamps file its scan used.
 */
interface Hint {
  stampsFile: string;
  racyFromNs: string;
}

/**
 * The stamp check a command line's hint calls for, started before the CLI has parsed anything, and
 * the hint it leaves for the next identical command line. A scan's cache uses the running check
 * once, when it is for the same stamps file and racy bound: a second scan in the same process (after
 * --fix) looks for itself.
 */
export class EarlyStampCheck {
  private hint: Hint | undefined;
  private check: Promise<StampCheck | undefined> | undefined;

  private constructor(private readonly hintFile: string) {}

  /** The check `args` (a command line of scan or review that may use the cache) call for. */
  static start(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): EarlyStampCheck {
    const identity = JSON.stringify([cwd, args, ringscanBinary(env) ?? '']);
    const early = new EarlyStampCheck(join(defaultCacheDirectory(env), `hint-${fnv1a64(identity)}.json`));
    try {
      const hint = JSON.parse(readRegularFileSync(early.hintFile, MAX_CACHE_FILE_BYTES).toString('utf8')) as Hint;
      // A hint names a stamps file of its own cache, nothing else ringscan would open.
      if (!isStampsFileOf(dirname(early.hintFile), hint.stampsFile)) return early;
      const racyFromNs = BigInt(hint.racyFromNs);
      early.hint = hint;
      const binary = ringscanBinary(env);
      // A failed check only means the cache checks again itself.
      if (binary) early.check = verifyStamps(binary, hint.stampsFile, racyFromNs).catch(() => undefined);
    } catch {
      // No hint yet, or an unreadable one: this invocation writes it.
    }
    return early;
  }

  /** Whether a check is running: then the cache is likely to answer. */
  get running(): boolean {
    return this.check !== undefined;
  }

  /** The running check, when it is of this stamps file with this racy bound; once. */
  take(stampsFile: string, racyFromNs: bigint): Promise<StampCheck | undefined> | undefined {
    if (this.hint?.stampsFile !== stampsFile || this.hint.racyFromNs !== String(racyFromNs)) return undefined;
    const { check } = this;
    this.check = undefined;
    return check;
  }

  /** The hint for the next identical invocation: this stamps file, with this racy bound. */
  leaveHint(stampsFile: string, racyFromNs: bigint): void {
    if (this.hint?.stampsFile === stampsFile && this.hint.racyFromNs === String(racyFromNs)) return;
    this.hint = { stampsFile, racyFromNs: String(racyFromNs) };
    try {
      writeAtomically(this.hintFile, JSON.stringify(this.hint));
    } catch {
      // Without a hint the next run checks the stamps a little later, that is all.
    }
  }
}

function isStampsFileOf(directory: string, stampsFile: unknown): boolean {
  return typeof stampsFile === 'string' && dirname(stampsFile) === directory && /^scan-[0-9a-f]{16}\.stamps$/.test(basename(stampsFile));
}

/** 64-bit FNV-1a of the text's UTF-16 code units, in hex: a hint file's name, without node:crypto. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let index = 0; index < text.length; index++) {
    hash = ((hash ^ BigInt(text.charCodeAt(index))) * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

export class ScanCache {
  private constructor(
    readonly file: string,
    private readonly stampsFile: string,
    private readonly key: string,
    private readonly analyzer: string,
    private readonly early: EarlyStampCheck | undefined,
  ) {}

  /**
   * One cache per scan identity: roots, working directory and the options that change results.
   * `analyzer` (cache/analyzer-fingerprint.ts) invalidates it when the analyzer is rebuilt; it is
   * passed in, not imported: loading it would hold up the early stamp check. `early`: the command
   * line's stamp check, started before the CLI loaded, and where its hint goes.
   */
  static for(directory: string, identity: unknown, analyzer: string, early?: EarlyStampCheck): ScanCache {
    const key = sha1Of(JSON.stringify(identity));
    const base = join(directory, `scan-${key.slice(0, 16)}`);
    return new ScanCache(`${base}.json`, `${base}.stamps`, key, analyzer, early);
  }

  /** The cached scan when nothing changed; undefined otherwise, or when the cache is corrupt, foreign or outdated. */
  async lookup(): Promise<CachedScan | undefined> {
    const cached = this.load();
    if (!cached) return undefined;
    // As git does with "racily clean" index entries: a stamp taken within the clock's granularity of
    // a change proves nothing, so recent directories miss and recent files are checked by content.
    const racyFromNs = BigInt(cached.startedAtNs) - RACY_WINDOW_NS;
    const binary = ringscanBinary();
    let check: StampCheck | undefined;
    try {
      check = (await this.early?.take(this.stampsFile, racyFromNs)) ??
        (binary ? await verifyStamps(binary, this.stampsFile, racyFromNs) : checkStamps(readRegularFileSync(this.stampsFile, MAX_CACHE_FILE_BYTES), racyFromNs));
    } catch {
      return undefined;
    }
    this.early?.leaveHint(this.stampsFile, racyFromNs);
    // The check vouches for this report when nothing changed and the stamps are the report's own.
    if (check.changed || check.token !== cached.token) return undefined;
    return { report: cached.report, reread: cached.reread };
  }

  store(inputs: CacheInputs, { report, reread }: CachedScan): void {
    const token = nodeCrypto().randomUUID();
    // The files a native walk stamped are in its stamps, with the hashes of those it read; the
    // others are stamped here, now.
    const records: Buffer[] = [];
    const readNatively = new Map<string, string>();
    for (const [path, text] of inputs.files) {
      if (inputs.native?.covers(path)) {
        if (text !== undefined) readNatively.set(path, text);
        continue;
      }
      const stamp = stampOf(path);
      if (!stamp) return; // vanished mid-scan: nothing trustworthy to record
      records.push(fileRecord(stamp, text, path));
    }
    for (const path of inputs.directories) {
      const stamp = stampOf(path);
      if (!stamp) return;
      records.push(directoryRecord(stamp, path));
    }
    for (const path of inputs.watched) {
      const stamp = stampOf(path);
      records.push(stamp ? fileRecord(stamp, undefined, path) : absentRecord(path));
    }
    const content: CacheFile = {
      format: FORMAT, version: this.analyzer, key: this.key, token, startedAtNs: String(inputs.startedAtNs), report, reread,
    };
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      // Write then rename, stamps first: a reader never sees half a file, and a report only with its own stamps.
      writeAtomically(this.stampsFile, Buffer.concat([frameRecord('H', token), ...records, ...(inputs.native?.stamps ?? []).map((stamps) => withContentHashes(stamps, readNatively)), frameRecord('T', token)]));
      writeAtomically(this.file, JSON.stringify(content));
      this.early?.leaveHint(this.stampsFile, inputs.startedAtNs - RACY_WINDOW_NS);
    } catch {
      // A cache that cannot be written only costs speed next time.
    }
  }

  private load(): CacheFile | undefined {
    try {
      const parsed = JSON.parse(readRegularFileSync(this.file, MAX_CACHE_FILE_BYTES).toString('utf8')) as Partial<CacheFile>;
      const valid =
        parsed.format === FORMAT && parsed.version === this.analyzer && parsed.key === this.key &&
        typeof parsed.token === 'string' && typeof parsed.startedAtNs === 'string' && /^\d+$/.test(parsed.startedAtNs) &&
        typeof parsed.report === 'object' && parsed.report !== null && Array.isArray(parsed.reread);
      return valid ? (parsed as CacheFile) : undefined;
    } catch {
      return undefined;
    }
  }
}

function writeAtomically(file: string, content: string | Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}
