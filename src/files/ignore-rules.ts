import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import type createIgnore from 'ignore';
import type { Ignore } from 'ignore';
import { isFsError } from './fs-error-reason.js';
import { gitWorkTreeTop } from './git-work-tree.js';
import { readFailureReason, readRegularFileSync } from './read-regular-file.js';

// Required, not imported: importing a CommonJS module makes Node lex its 50 KB for export names,
// which keeps V8's optimizing compiler busy on the side (see c/parser.ts).
const ignore = createRequire(import.meta.url)('ignore') as typeof createIgnore;

/** Far beyond any ignore file a person writes; a bound for one that is not (F9: /dev/zero). */
const MAX_IGNORE_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Hears of an ignore file that is there but was not read, and why. The walk goes on without its
 * patterns: that only widens the scan, and the caller lists the file so nobody is surprised.
 */
export type IgnoreFileProblem = (path: string, reason: string) => void;

interface IgnoreLayer {
  /** The directory the patterns are relative to, with a trailing separator. */
  basePrefix: string;
  matcher: Ignore;
}

/**
 * The .gitignore rules in force for one directory of a walk: every .gitignore from the repository
 * top down to it, plus .git/info/exclude. Deeper files come later, so their negations win.
 */
export class IgnoreRules {
  private constructor(
    private readonly layers: readonly IgnoreLayer[],
    /**
     * False outside git work trees, where .gitignore files mean nothing (as for git and ripgrep),
     * and with --no-ignore: no directory below can add a rule.
     */
    readonly honoursIgnoreFiles = true,
  ) {}

  static none(): IgnoreRules {
    return new IgnoreRules([]);
  }

  /** For `--no-ignore`, and for trees that are not in a git repository. */
  static disabled(): IgnoreRules {
    return new IgnoreRules([], false);
  }

  /**
   * Rules inherited by a scanned root from the directories above it, up to the top of the git
   * repository that contains it (disabled when it is not inside one): `ringlint scan src` must skip
   * what the repository's own .gitignore skips.
   */
  static async above(root: string, onProblem: IgnoreFileProblem): Promise<IgnoreRules> {
    const top = gitWorkTreeTop(root);
    if (top === undefined) return IgnoreRules.disabled();
    const ancestors: string[] = [];
    for (let dir = root; dir !== top; ) {
      dir = dirname(dir);
      ancestors.unshift(dir);
    }
    let rules = IgnoreRules.none();
    for (const dir of ancestors) rules = await rules.enter(dir, onProblem);
    return rules;
  }

  /** The rules for `dir`'s entries: these plus dir/.gitignore and, at a repository top, its exclude file. */
  async enter(dir: string, onProblem: IgnoreFileProblem): Promise<IgnoreRules> {
    if (!this.honoursIgnoreFiles) return this;
    const added: IgnoreLayer[] = [];
    // As git: the exclude file may be a link, a .gitignore in the work tree is never followed.
    for (const [file, followLinks] of [[join(dir, '.git', 'info', 'exclude'), true], [join(dir, '.gitignore'), false]] as const) {
      const patterns = readIgnoreFile(file, followLinks, onProblem);
      if (patterns !== undefined) added.push({ basePrefix: dir.endsWith(sep) ? dir : dir + sep, matcher: ignore().add(patterns) });
    }
    return added.length === 0 ? this : new IgnoreRules([...this.layers, ...added]);
  }

  /** `path` is normalized, as the walk builds it: a layer applies when it starts with the layer's directory. */
  ignores(path: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const { basePrefix, matcher } of this.layers) {
      if (path.length <= basePrefix.length || !path.startsWith(basePrefix)) continue;
      const rel = path.slice(basePrefix.length);
      const posix = sep === '/' ? rel : rel.split(sep).join('/');
      const result = matcher.test(isDirectory ? `${posix}/` : posix);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }
}

/**
 * The file's patterns; undefined when there is none, or when it cannot be read (said to
 * `onProblem`): only a regular file is read, never waiting on a FIFO or device, and at most
 * MAX_IGNORE_FILE_BYTES (a FIFO named .gitignore hung the scan, F9).
 */
function readIgnoreFile(path: string, followLinks: boolean, onProblem: IgnoreFileProblem): string | undefined {
  try {
    return readRegularFileSync(path, MAX_IGNORE_FILE_BYTES, { followLinks }).toString('utf8');
  } catch (error) {
    // Missing, as most are (or in a place that is not a directory): no rules, as with git.
    if (isFsError(error, 'ENOENT') || isFsError(error, 'ENOTDIR')) return undefined;
    onProblem(path, `ignore file not read: ${readFailureReason(error)}; its patterns are not applied`);
    return undefined;
  }
}
