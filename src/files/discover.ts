import type { Dirent, Stats } from 'node:fs';
import { readdirSync } from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { walkNatively, type WalkEntry, type WalkedDirectory, type WalkedFile } from '../native/ringscan.js';
import type { FileError } from '../model/finding.js';
import { toDisplayPath } from './display-path.js';
import { fsErrorReason, isFsError } from './fs-error-reason.js';
import { IgnoreRules } from './ignore-rules.js';
import { isInsideDirectory } from './path-inside.js';
import { sourceKindOf, type SourceKind } from './source-kind.js';

/** Directories no scan should ever enter, whatever the ignore files say. */
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);

export interface DiscoveredFile {
  /** The path as walked, possibly through a symlink inside the root. */
  path: string;
  /** The file's real path: one file reached twice is scanned once. */
  realPath: string;
  displayPath: string;
  kind: SourceKind;
}

export interface Discovery {
  files: DiscoveredFile[];
  /** Candidates that could not be scanned: symlink loops, FIFOs named like sources, unreadable directories. */
  errors: FileError[];
  /** Real paths of the directories given as roots; quoted includes must resolve inside one. */
  rootDirectories: string[];
  /** Real paths of every directory walked: a cache can tell from their mtimes that no file came or went. */
  directories: string[];
  /**
   * Files the native walk already read and searched, by real path: their stamps and what the search
   * found. Files reached otherwise (links, includes, Node's walk) are not here.
   */
  searchedNatively: Map<string, WalkedFile>;
  /** Stamps the native walk took of directories, by real path. */
  directoryStamps: Map<string, Omit<WalkedDirectory, 'path'>>;
}

/** A path named on the command line does not exist: a usage error, not a per-file one. */
export class PathNotFoundError extends Error {
  constructor(readonly path: string) {
    super(`no such file or directory: ${path}`);
    this.name = 'PathNotFoundError';
  }
}

/**
 * Finds the C, Markdown and reST files under `paths`. Directories are walked honouring .gitignore;
 * files named explicitly are always taken, as C when their extension says nothing.
 */
export interface DiscoveryOptions {
  /** Walk everything, whatever .gitignore files say (.git and node_modules are still skipped). */
  noIgnore?: boolean;
  /**
   * The ringscan binary: directories where no ignore file applies are then walked, stamped and
   * searched natively in one pass.
   */
  ringscan?: { binary: string; maxFileSize: number };
}

export async function discoverFiles(paths: readonly string[], cwd: string, options: DiscoveryOptions = {}): Promise<Discovery> {
  const walk = new DiscoveryWalk(cwd, options.noIgnore ?? false, options.ringscan);
  for (const path of paths) await walk.addRoot(path);
  return walk.result();
}

class DiscoveryWalk {
  private readonly filesByRealPath = new Map<string, DiscoveredFile & { viaSymlink: boolean }>();
  private readonly errors: FileError[] = [];
  private readonly rootDirectories: string[] = [];
  private readonly visitedDirectories = new Set<string>();
  /** Directories reached through symlinks, walked after the real tree so files keep their own names. */
  private readonly linkedDirectories: Array<{ link: string; target: string; rules: IgnoreRules }> = [];
  private readonly searchedNatively = new Map<string, WalkedFile>();
  private readonly directoryStamps = new Map<string, Omit<WalkedDirectory, 'path'>>();

  constructor(
    private readonly cwd: string,
    private readonly noIgnore: boolean,
    private readonly ringscan: DiscoveryOptions['ringscan'],
  ) {}

  async addRoot(argument: string): Promise<void> {
    const path = resolve(this.cwd, argument);
    try {
      await lstat(path);
    } catch (error) {
      if (isFsError(error, 'ENOENT') || isFsError(error, 'ENOTDIR')) throw new PathNotFoundError(argument);
      throw error;
    }
    let target: Stats;
    try {
      target = await stat(path);
    } catch (error) {
      if (isFsError(error, 'ENOENT')) throw new PathNotFoundError(argument);
      this.fail(path, fsErrorReason(error));
      return;
    }
    const real = await realpath(path);
    if (target.isDirectory()) {
      this.rootDirectories.push(real);
      const inherited = this.noIgnore ? IgnoreRules.disabled() : await IgnoreRules.above(path);
      // A directory named explicitly is scanned even when ignored; only its own .gitignore files apply then.
      const rules = inherited.ignores(path, true) ? IgnoreRules.none() : inherited;
      if (!this.ringscan || rules.honoursIgnoreFiles || !(await this.walkNatively(path, real, rules, this.ringscan))) {
        await this.walkDirectory(path, real, real, rules, false);
      }
      for (let next = this.linkedDirectories.shift(); next; next = this.linkedDirectories.shift()) {
        await this.walkDirectory(next.link, next.target, real, next.rules, true);
      }
    } else if (target.isFile()) {
      this.addFile(path, real, sourceKindOf(path) ?? 'c', false);
    } else {
      this.fail(path, `${describeNonRegular(target)}, skipped`);
    }
  }

  result(): Discovery {
    const files = [...this.filesByRealPath.values()].map(({ viaSymlink: _viaSymlink, ...file }) => file);
    return {
      files, errors: this.errors, rootDirectories: this.rootDirectories, directories: [...this.visitedDirectories],
      searchedNatively: this.searchedNatively, directoryStamps: this.directoryStamps,
    };
  }

  /**
   * The same walk as `walkDirectory` (which stays for trees with ignore files), done by ringscan,
   * whose records come in the order `walkDirectory` meets files; symbolic links are followed here,
   * by the same rules. False when ringscan failed and nothing was walked.
   */
  private async walkNatively(dir: string, realDir: string, rules: IgnoreRules, ringscan: NonNullable<DiscoveryOptions['ringscan']>): Promise<boolean> {
    if (this.visitedDirectories.has(realDir)) return true;
    let entries: WalkEntry[];
    try {
      entries = await walkNatively(ringscan.binary, [realDir], ringscan.maxFileSize);
    } catch (error) {
      // A tool failure, not a fact about the tree: Node's walk does the same work, only slower.
      process.emitWarning(`${error instanceof Error ? error.message : String(error)}; walking ${dir} without it`, 'RingscanWarning');
      return false;
    }
    // Usually the root is named by its real path: then so is every entry, without a new string each.
    const walkedPath = dir === realDir ? (real: string): string => real : (real: string): string => dir + real.slice(realDir.length);
    for (const entry of entries) {
      switch (entry.type) {
        case 'directory':
          this.visitedDirectories.add(entry.path);
          this.directoryStamps.set(entry.path, entry);
          break;
        case 'file':
          this.addFile(walkedPath(entry.path), entry.path, entry.kind, false);
          this.searchedNatively.set(entry.path, entry);
          break;
        case 'symlink':
          await this.followSymlink(walkedPath(entry.path), dirname(entry.path), realDir, rules);
          break;
        case 'special':
          this.fail(walkedPath(entry.path), `${SPECIAL_FILE_REASONS[entry.what]}, skipped`);
          break;
        case 'unreadable-directory':
          this.fail(walkedPath(entry.path), `cannot read directory: ${fsErrorReason({ code: entry.code })}`);
          break;
      }
    }
    return true;
  }

  private async walkDirectory(
    dir: string,
    realDir: string,
    realRoot: string,
    inherited: IgnoreRules,
    viaSymlink: boolean,
  ): Promise<void> {
    if (this.visitedDirectories.has(realDir)) return;
    this.visitedDirectories.add(realDir);
    let entries: Dirent[];
    try {
      // Synchronous on purpose: one syscall per directory, without a promise per entry, is what
      // makes walking a kernel tree take well under a second.
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      this.fail(dir, `cannot read directory: ${fsErrorReason(error)}`);
      return;
    }
    const rules = await inherited.enter(dir);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const dirPrefix = dir.endsWith(sep) ? dir : dir + sep;
    const realDirPrefix = realDir.endsWith(sep) ? realDir : realDir + sep;
    for (const entry of entries) {
      if (ALWAYS_SKIPPED.has(entry.name)) continue;
      const isDirectory = entry.isDirectory();
      const isLink = !isDirectory && entry.isSymbolicLink();
      const kind = isDirectory || isLink ? undefined : sourceKindOf(entry.name);
      if (!isDirectory && !isLink && kind === undefined) continue;
      // Plain concatenation: both sides are already normal paths, and join() is the walk's hot spot.
      const path = dirPrefix + entry.name;
      const realPath = realDirPrefix + entry.name;
      if (isDirectory) {
        if (!rules.ignores(path, true)) await this.walkDirectory(path, realPath, realRoot, rules, viaSymlink);
      } else if (isLink) {
        await this.followSymlink(path, realDir, realRoot, rules);
      } else {
        if (kind === undefined || rules.ignores(path, false)) continue;
        if (entry.isFile()) this.addFile(path, realPath, kind, viaSymlink);
        else this.fail(path, `${describeNonRegular(entry)}, skipped`);
      }
    }
  }

  private async followSymlink(link: string, realParent: string, realRoot: string, rules: IgnoreRules): Promise<void> {
    let target: string;
    try {
      target = await realpath(link);
    } catch (error) {
      if (isFsError(error, 'ENOENT')) return; // dangling: nothing to scan
      if (!rules.ignores(link, false)) this.fail(link, `${fsErrorReason(error)}, not followed`);
      return;
    }
    // Never leave the root: a link to /usr/include or to a sibling checkout is not part of this scan.
    if (!isInsideDirectory(target, realRoot)) return;
    let targetStats: Stats;
    try {
      targetStats = await stat(target);
    } catch (error) {
      this.fail(link, fsErrorReason(error));
      return;
    }
    if (targetStats.isDirectory()) {
      if (rules.ignores(link, true)) return;
      if (isInsideDirectory(realParent, target)) {
        this.fail(link, 'symlink loop (points to an enclosing directory), not followed');
        return;
      }
      this.linkedDirectories.push({ link, target, rules });
      return;
    }
    const kind = sourceKindOf(link);
    if (kind === undefined || rules.ignores(link, false)) return;
    if (targetStats.isFile()) this.addFile(link, target, kind, true);
    else this.fail(link, `${describeNonRegular(targetStats)}, skipped`);
  }

  private addFile(path: string, realPath: string, kind: SourceKind, viaSymlink: boolean): void {
    const known = this.filesByRealPath.get(realPath);
    // Report a file under its own name rather than under a link to it, whichever the walk met first.
    if (known && (viaSymlink || !known.viaSymlink)) return;
    this.filesByRealPath.set(realPath, { path, realPath, displayPath: toDisplayPath(this.cwd, path), kind, viaSymlink });
  }

  private fail(path: string, message: string): void {
    this.errors.push({ file: toDisplayPath(this.cwd, path), message });
  }
}

const SPECIAL_FILE_REASONS = {
  fifo: 'not a regular file (FIFO)',
  socket: 'not a regular file (socket)',
  device: 'not a regular file (device)',
  other: 'not a regular file',
} as const;

function describeNonRegular(entry: Dirent | Stats): string {
  if (entry.isFIFO()) return SPECIAL_FILE_REASONS.fifo;
  if (entry.isSocket()) return SPECIAL_FILE_REASONS.socket;
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return SPECIAL_FILE_REASONS.device;
  return SPECIAL_FILE_REASONS.other;
}
