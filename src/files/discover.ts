import type { Dirent, Stats } from 'node:fs';
import { readdirSync } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { searchNatively, walkNatively, type NativeWalk, type PrestartedWalk, type WalkEntry } from '../native/ringscan.js';
import type { WalkedFile } from '../native/walked-file.js';
import type { FileError } from '../model/finding.js';
import { toDisplayPath } from './display-path.js';
import { fsErrorReason, isFsError } from './fs-error-reason.js';
import { IgnoreRules } from './ignore-rules.js';
import { fsPath, holdsEscapedBytes, pathFromBytes } from './path-bytes.js';
import { ALWAYS_SKIPPED, isInSkippedDirectory, isInsideDirectory } from './path-inside.js';
import { realPathOf } from './real-path.js';
import { sourceKindOf, type SourceKind } from './source-kind.js';
import { inWalkOrder } from './walk-order.js';

export interface DiscoveredFile {
  /** The path as walked, possibly through a symlink inside the root. */
  path: string;
  /** The file's real path: one file reached twice is scanned once. */
  realPath: string;
  displayPath: string;
  kind: SourceKind;
}

export interface Discovery {
  /**
   * Files to consider, in walk order. Of the files a native walk met, only those its search
   * flagged (and TypeScript/JavaScript files) are here; `native` knows the others.
   */
  files: DiscoveredFile[];
  /**
   * Candidates that could not be scanned: symlink loops, FIFOs named like sources, unreadable
   * directories; and ignore files that are there but could not be read (the walk went on without them).
   */
  errors: FileError[];
  /** Real paths of the directories given as roots; quoted includes must resolve inside one. */
  rootDirectories: string[];
  /**
   * Real paths of the directories Node walked (a native walk's are in its stamps): a cache can tell
   * from their mtimes that no file came or went.
   */
  directories: string[];
  /** Files among `files` the native walk read and searched, by real path: what the search found. */
  searchedNatively: Map<string, WalkedFile>;
  native: NativeWalks;
}

/**
 * What the native walks met beyond the discovery's files: how many files, their stamps, and the
 * files themselves on demand (a scan that finds new names to search for, or parses every file).
 */
export class NativeWalks {
  private readonly walks: Array<NativeWalk & { root: string; walkedAs: string; listed: number }> = [];
  /** Searches of files Node's walk chose: all of them are among the discovery's files. */
  private readonly searches: Array<NativeWalk & { files: ReadonlySet<string> }> = [];

  constructor(private readonly cwd: string) {}

  add(walk: NativeWalk, root: string, walkedAs: string, listed: number): void {
    this.walks.push({ ...walk, root, walkedAs, listed });
  }

  addChosen(search: NativeWalk, files: ReadonlySet<string>): void {
    this.searches.push({ ...search, files });
  }

  get roots(): string[] {
    return this.walks.map((walk) => walk.root);
  }

  /** Files walked natively that are not among the discovery's files. */
  get unlistedCount(): number {
    return this.walks.reduce((sum, walk) => sum + walk.fileCount - walk.listed, 0);
  }

  /** Every walk's and search's stamps, as the scan cache records them (see `NativeWalk.stamps`). */
  async stamps(): Promise<Buffer[]> {
    return (await Promise.all([...this.walks, ...this.searches].map((walk) => walk.stamps()))).map(({ stamps }) => stamps);
  }

  /** Lets the walks end without their stamps, unless they were asked for. */
  release(): void {
    for (const walk of [...this.walks, ...this.searches]) walk.release();
  }

  /**
   * Whether ringscan met this real path (a directory, or a file of a scanned kind): by where it is
   * for its walks, by name for the files it was given.
   */
  covers(realPath: string, isDirectory: boolean): boolean {
    if (!isDirectory && this.searches.some(({ files }) => files.has(realPath))) return true;
    const walk = this.walks.find(({ root }) => isInsideDirectory(realPath, root));
    if (!walk) return false;
    return !isInSkippedDirectory(realPath.slice(walk.root.length)) && (isDirectory || sourceKindOf(realPath) !== undefined);
  }

  /** The files walked natively, in walk order, except those `listed` says the discovery has. */
  async unlistedFiles(listed: (realPath: string) => boolean): Promise<DiscoveredFile[]> {
    const stamps = await Promise.all(this.walks.map((walk) => walk.stamps()));
    return this.walks.flatMap((walk, index) =>
      stamps[index]!.files() // one per walk
        .filter((realPath) => !listed(realPath))
        .map((realPath) => {
          const path = walk.walkedAs + realPath.slice(walk.root.length);
          return { path, realPath, displayPath: toDisplayPath(this.cwd, path), kind: sourceKindOf(realPath) ?? 'c' };
        }),
    );
  }
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
   * searched natively in one pass. `onFile` hears of each file to list as soon as it is found;
   * `prestarted` is a walk already under way, used if it is one this discovery asks for.
   */
  ringscan?: { binary: string; maxFileSize: number; onFile?: (file: WalkedFile) => void; prestarted?: PrestartedWalk };
}

export async function discoverFiles(paths: readonly string[], cwd: string, options: DiscoveryOptions = {}): Promise<Discovery> {
  const walk = new DiscoveryWalk(cwd, options.noIgnore ?? false, options.ringscan);
  try {
    for (const path of paths) await walk.addRoot(path);
  } catch (error) {
    walk.result().native.release();
    throw error;
  }
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
  private readonly native: NativeWalks;
  private ringscanFailed = false;

  constructor(
    private readonly cwd: string,
    private readonly noIgnore: boolean,
    private readonly ringscan: DiscoveryOptions['ringscan'],
  ) {
    this.native = new NativeWalks(cwd);
  }

  async addRoot(argument: string): Promise<void> {
    const path = resolve(this.cwd, argument);
    try {
      await lstat(fsPath(path));
    } catch (error) {
      if (isFsError(error, 'ENOENT') || isFsError(error, 'ENOTDIR')) throw new PathNotFoundError(argument);
      throw error;
    }
    let target: Stats;
    try {
      target = await stat(fsPath(path));
    } catch (error) {
      if (isFsError(error, 'ENOENT')) throw new PathNotFoundError(argument);
      this.fail(path, fsErrorReason(error));
      return;
    }
    const real = await realPathOf(path);
    if (target.isDirectory()) {
      this.rootDirectories.push(real);
      const inherited = this.noIgnore ? IgnoreRules.disabled() : await IgnoreRules.above(path, this.ignoreFileProblem);
      // A directory named explicitly is scanned even when ignored; only its own .gitignore files apply then.
      const rules = inherited.ignores(path, true) ? IgnoreRules.none() : inherited;
      if (!this.ringscan || rules.honoursIgnoreFiles || !(await this.walkNatively(path, real, rules, this.ringscan))) {
        await this.walkDirectory(path, real, real, rules, false);
      }
      for (let next = this.linkedDirectories.shift(); next; next = this.linkedDirectories.shift()) {
        await this.walkDirectory(next.link, next.target, real, next.rules, true);
      }
      if (this.ringscan && !this.ringscanFailed) await this.searchChosenNatively(this.ringscan);
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
      searchedNatively: this.searchedNatively, native: this.native,
    };
  }

  /**
   * The same walk as `walkDirectory` (which stays for trees with ignore files), done by ringscan,
   * whose records come in the order `walkDirectory` meets files; symbolic links are followed here,
   * by the same rules. False when ringscan failed and nothing was walked.
   */
  private async walkNatively(dir: string, realDir: string, rules: IgnoreRules, ringscan: NonNullable<DiscoveryOptions['ringscan']>): Promise<boolean> {
    if (this.visitedDirectories.has(realDir) || this.native.covers(realDir, true)) return true;
    // A root holding an earlier one: Node walks it, around what was walked (its files counted once).
    if (this.native.roots.some((root) => isInsideDirectory(root, realDir))) return false;
    // A child's arguments are strings: a root whose name is not UTF-8 cannot be passed on whole.
    if (holdsEscapedBytes(realDir)) return false;
    // Usually the root is named by its real path: then so is every entry, without a new string each.
    const walkedPath = dir === realDir ? (real: string): string => real : (real: string): string => dir + real.slice(realDir.length);
    // Links are resolved while the walk goes on, and followed in walk order once it is done.
    const links = new Map<string, Promise<LinkResolution>>();
    let walk: NativeWalk;
    try {
      walk = await walkNatively(ringscan.binary, [realDir], ringscan.maxFileSize, (entry) => {
        if (entry.type === 'file') ringscan.onFile?.(entry);
        if (entry.type === 'symlink') links.set(entry.path, resolveLink(walkedPath(entry.path)));
      }, ringscan.prestarted);
    } catch (error) {
      this.ringscanFailure(error, `walking ${dir} without it`);
      return false;
    }
    // Known before its entries are handled: links are followed by what it covers and lists.
    const listed = walk.entries.filter((entry): entry is WalkEntry & { type: 'file' } => entry.type === 'file');
    listed.forEach((file) => this.searchedNatively.set(file.path, file));
    this.native.add(walk, realDir, dir, listed.length);
    for (const entry of walk.entries) {
      switch (entry.type) {
        case 'file':
          this.addFile(walkedPath(entry.path), entry.path, entry.kind, false);
          break;
        case 'symlink':
          await this.followSymlink(walkedPath(entry.path), dirname(entry.path), realDir, rules, links.get(entry.path));
          break;
        case 'special':
          this.fail(walkedPath(entry.path), `${SPECIAL_FILE_REASONS[entry.what]}, skipped`);
          break;
        case 'unreadable-directory':
          this.fail(walkedPath(entry.path), `cannot read directory: ${fsErrorReason({ code: entry.code })}`);
          break;
        case 'unreadable-file':
          // As the scan says of a file it cannot open (read-source.ts).
          this.fail(walkedPath(entry.path), `cannot read: ${fsErrorReason({ code: entry.code })}`);
          break;
      }
    }
    return true;
  }

  /**
   * The files Node's walk chose (where ignore files apply) read, stamped and searched by ringscan,
   * as if it had walked them: the scan then treats them alike.
   */
  private async searchChosenNatively(ringscan: NonNullable<DiscoveryOptions['ringscan']>): Promise<void> {
    const chosen = [...this.filesByRealPath.values()].filter((file) => !this.searchedNatively.has(file.realPath) && !this.native.covers(file.realPath, false));
    if (chosen.length === 0) return;
    let search: NativeWalk;
    try {
      search = await searchNatively(ringscan.binary, chosen, ringscan.maxFileSize, (entry) => {
        if (entry.type === 'file') ringscan.onFile?.(entry);
      });
    } catch (error) {
      this.ringscanFailure(error, 'searching without it');
      return;
    }
    for (const entry of search.entries) {
      if (entry.type === 'file') this.searchedNatively.set(entry.path, entry);
    }
    this.native.addChosen(search, new Set(chosen.map((file) => file.realPath)));
  }

  /** A tool failure, not a fact about the tree: Node does the same work, only slower. */
  private ringscanFailure(error: unknown, instead: string): void {
    process.emitWarning(`${error instanceof Error ? error.message : String(error)}; ${instead}`, 'RingscanWarning');
    this.ringscanFailed = true;
  }

  private async walkDirectory(
    dir: string,
    realDir: string,
    realRoot: string,
    inherited: IgnoreRules,
    viaSymlink: boolean,
  ): Promise<void> {
    if (this.visitedDirectories.has(realDir) || this.native.covers(realDir, true)) return;
    this.visitedDirectories.add(realDir);
    let entries: Array<{ name: string; entry: Dirent | Dirent<Buffer> }>;
    try {
      // Synchronous on purpose: one syscall per directory, without a promise per entry, is what
      // makes walking a kernel tree take well under a second.
      entries = readdirSync(fsPath(dir), { withFileTypes: true }).map((entry) => ({ name: entry.name, entry }));
      // A name that is not UTF-8 was decoded with U+FFFD, which names no file (F17): read again as bytes.
      if (entries.some(({ name }) => name.includes('\ufffd'))) {
        entries = readdirSync(fsPath(dir), { withFileTypes: true, encoding: 'buffer' }).map((entry) => ({ name: pathFromBytes(entry.name), entry }));
      }
    } catch (error) {
      this.fail(dir, `cannot read directory: ${fsErrorReason(error)}`);
      return;
    }
    const rules = await inherited.enter(dir, this.ignoreFileProblem);
    entries = inWalkOrder(entries, ({ name }) => name);
    const dirPrefix = dir.endsWith(sep) ? dir : dir + sep;
    const realDirPrefix = realDir.endsWith(sep) ? realDir : realDir + sep;
    for (const { name, entry } of entries) {
      if (ALWAYS_SKIPPED.has(name)) continue;
      const isDirectory = entry.isDirectory();
      const isLink = !isDirectory && entry.isSymbolicLink();
      const kind = isDirectory || isLink ? undefined : sourceKindOf(name);
      if (!isDirectory && !isLink && kind === undefined) continue;
      // Plain concatenation: both sides are already normal paths, and join() is the walk's hot spot.
      const path = dirPrefix + name;
      const realPath = realDirPrefix + name;
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

  private async followSymlink(
    link: string, realParent: string, realRoot: string, rules: IgnoreRules, resolving = resolveLink(link),
  ): Promise<void> {
    const { target, stats: targetStats, error } = await resolving;
    if (target === undefined) {
      // Dangling (ENOENT): nothing to scan.
      if (!isFsError(error, 'ENOENT') && !rules.ignores(link, false)) this.fail(link, `${fsErrorReason(error)}, not followed`);
      return;
    }
    // Never leave the root: a link to /usr/include or to a sibling checkout is not part of this scan.
    if (!isInsideDirectory(target, realRoot)) return;
    if (!targetStats) {
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
    // A file a native walk met and did not list is counted, and cannot matter; one it listed is
    // added here all the same, to keep the place where Node's walk would first meet it.
    if (this.native.covers(target, false) && !this.searchedNatively.has(target)) return;
    if (targetStats.isFile()) this.addFile(link, target, kind, true);
    else this.fail(link, `${describeNonRegular(targetStats)}, skipped`);
  }

  private addFile(path: string, realPath: string, kind: SourceKind, viaSymlink: boolean): void {
    const known = this.filesByRealPath.get(realPath);
    // Report a file under its own name rather than under a link to it, whichever the walk met first.
    if (known && (viaSymlink || !known.viaSymlink)) return;
    this.filesByRealPath.set(realPath, { path, realPath, displayPath: toDisplayPath(this.cwd, path), kind, viaSymlink });
  }

  /** Ignore files that could not be read, each listed once (roots in one repository share those above them). */
  private readonly ignoreFileProblem = (path: string, message: string): void => {
    if (!this.errors.some((known) => known.file === toDisplayPath(this.cwd, path))) this.fail(path, message);
  };

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

function describeNonRegular(entry: Dirent | Dirent<Buffer> | Stats): string {
  if (entry.isFIFO()) return SPECIAL_FILE_REASONS.fifo;
  if (entry.isSocket()) return SPECIAL_FILE_REASONS.socket;
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return SPECIAL_FILE_REASONS.device;
  return SPECIAL_FILE_REASONS.other;
}

/** Where a link leads and what is there; `error` says why the first step without an answer failed. */
type LinkResolution = { target?: string; stats?: Stats; error?: unknown };

async function resolveLink(link: string): Promise<LinkResolution> {
  const resolution: LinkResolution = {};
  try {
    resolution.target = await realPathOf(link);
    resolution.stats = await stat(fsPath(resolution.target));
  } catch (error) {
    resolution.error = error;
  }
  return resolution;
}
