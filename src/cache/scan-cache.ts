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
 * and a `hint-<key>.json` per command line: the stamps file it used (early-stamp-check.ts).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ScanReport } from '../model/finding.js';
import { ringscanBinary } from '../native/ringscan-binary.js';
import { verifyStamps } from '../native/ringscan-verify.js';
import { readCacheFile, writeCacheFile } from './cache-directory.js';
import { nodeCrypto, sha1Of } from './crypto-on-demand.js';
import type { EarlyStampCheck } from './early-stamp-check.js';
import { absentRecord, checkStamps, directoryRecord, fileRecord, frameRecord, stampOf, withContentHashes, type StampCheck } from './stamps.js';

/** Bumped when the cache's own format changes; the analyzer fingerprint covers code changes. */
const FORMAT = 6;

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
        (binary ? await verifyStamps(binary, this.stampsFile, racyFromNs) : checkStamps(readCacheFile(this.stampsFile), racyFromNs));
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
      writeCacheFile(this.stampsFile, Buffer.concat([frameRecord('H', token), ...records, ...(inputs.native?.stamps ?? []).map((stamps) => withContentHashes(stamps, readNatively)), frameRecord('T', token)]));
      writeCacheFile(this.file, JSON.stringify(content));
      this.early?.leaveHint(this.stampsFile, inputs.startedAtNs - RACY_WINDOW_NS);
    } catch {
      // A cache that cannot be written only costs speed next time.
    }
  }

  private load(): CacheFile | undefined {
    try {
      const parsed = JSON.parse(readCacheFile(this.file).toString('utf8')) as Partial<CacheFile>;
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
