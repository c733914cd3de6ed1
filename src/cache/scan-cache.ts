/**
 * The on-disk scan cache. A scan's findings depend on every file together (helpers and macros cross
 * files), so what is cached is the whole report, valid while nothing it depends on changed. Like
 * git's index, validity is decided from stat data alone: every directory walked keeps its mtime
 * (no file came or went), every file its size, mtime and inode, and every ignore file that could
 * apply is as it was. A file the scan had read is also recognised by content when only its stat
 * changed (a `touch`). No directory is listed and no unchanged file is read on a hit.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ScanReport } from '../model/finding.js';
import { analyzerFingerprint } from './analyzer-fingerprint.js';

/** Bumped when the cache's own format changes; the analyzer fingerprint covers code changes. */
const FORMAT = 3;

/** Coarser than any file system's timestamp granularity. */
const RACY_WINDOW_MS = 1000;

/** [path, size, mtimeMs, inode, sha1 of the content when the scan read it] */
type FileStamp = [string, number, number, number, string?];
/** [path, mtimeMs, inode] */
type DirectoryStamp = [string, number, number];
/** [path, mtimeMs] or [path] when the file did not exist */
type WatchedStamp = [string, number?];

interface CacheFile {
  format: number;
  version: string;
  key: string;
  /** When the cache was written: stamps this recent cannot tell two writes in one clock tick apart. */
  writtenAtMs: number;
  files: FileStamp[];
  directories: DirectoryStamp[];
  watched: WatchedStamp[];
  report: ScanReport;
}

export interface CacheInputs {
  /** Real path → text (undefined when the scan did not read it) of every file considered. */
  files: ReadonlyMap<string, string | undefined>;
  directories: readonly string[];
  /** Files whose appearance or change would change what is scanned: ignore files. */
  watched: readonly string[];
}

export function defaultCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ringlint');
}

export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export class ScanCache {
  private constructor(
    readonly file: string,
    private readonly key: string,
  ) {}

  /** One cache file per scan identity: roots, working directory and the options that change results. */
  static for(directory: string, identity: unknown): ScanCache {
    const key = createHash('sha1').update(JSON.stringify(identity)).digest('hex');
    return new ScanCache(join(directory, `scan-${key.slice(0, 16)}.json`), key);
  }

  /** The cached report when nothing changed; undefined otherwise, or when the cache file is corrupt, foreign or outdated. */
  lookup(readText: (path: string) => string | undefined): ScanReport | undefined {
    const cached = this.load();
    if (!cached) return undefined;
    // As git does with "racily clean" index entries: a stamp taken within the clock's granularity of
    // a change proves nothing, so recent directories miss and recent files are checked by content.
    const racy = (mtimeMs: number): boolean => mtimeMs >= cached.writtenAtMs - RACY_WINDOW_MS;
    for (const [path, mtimeMs, ino] of cached.directories) {
      const stats = statQuietly(path);
      if (!stats || stats.mtimeMs !== mtimeMs || stats.ino !== ino || racy(mtimeMs)) return undefined;
    }
    for (const [path, mtimeMs] of cached.watched) {
      if (statQuietly(path)?.mtimeMs !== mtimeMs) return undefined;
    }
    for (const [path, size, mtimeMs, ino, sha1] of cached.files) {
      const stats = statQuietly(path);
      if (!stats || stats.size !== size) return undefined;
      if (stats.mtimeMs === mtimeMs && stats.ino === ino && !racy(mtimeMs)) continue;
      // Only the stat changed: unchanged content still counts, for files whose content we know.
      const text = sha1 ? readText(path) : undefined;
      if (text === undefined || contentHash(text) !== sha1) return undefined;
    }
    return cached.report;
  }

  store(inputs: CacheInputs, report: ScanReport): void {
    const files: FileStamp[] = [];
    for (const [path, text] of inputs.files) {
      const stats = statQuietly(path);
      if (!stats) return; // a file vanished mid-scan: nothing trustworthy to record
      files.push(text === undefined ? [path, stats.size, stats.mtimeMs, stats.ino] : [path, stats.size, stats.mtimeMs, stats.ino, contentHash(text)]);
    }
    const directories: DirectoryStamp[] = [];
    for (const path of inputs.directories) {
      const stats = statQuietly(path);
      if (!stats) return;
      directories.push([path, stats.mtimeMs, stats.ino]);
    }
    const watched: WatchedStamp[] = inputs.watched.map((path) => {
      const stats = statQuietly(path);
      return stats ? [path, stats.mtimeMs] : [path];
    });
    const content: CacheFile = {
      format: FORMAT, version: analyzerFingerprint(), key: this.key, writtenAtMs: Date.now(), files, directories, watched, report,
    };
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      // Write then rename: a reader never sees half a cache file.
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(content));
      renameSync(temporary, this.file);
    } catch {
      // A cache that cannot be written only costs speed next time.
    }
  }

  private load(): CacheFile | undefined {
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<CacheFile>;
      const valid =
        parsed.format === FORMAT && parsed.version === analyzerFingerprint() && parsed.key === this.key &&
        typeof parsed.writtenAtMs === 'number' &&
        Array.isArray(parsed.files) && Array.isArray(parsed.directories) && Array.isArray(parsed.watched) &&
        typeof parsed.report === 'object' && parsed.report !== null;
      return valid ? (parsed as CacheFile) : undefined;
    } catch {
      return undefined;
    }
  }
}

function statQuietly(path: string): { size: number; mtimeMs: number; ino: number } | undefined {
  try {
    // No exception for a vanished file: a cache check stats every file of a kernel tree.
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
