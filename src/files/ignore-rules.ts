import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import type createIgnore from 'ignore';
import type { Ignore } from 'ignore';
import { gitWorkTreeTop } from './git-work-tree.js';

// Required, not imported: importing a CommonJS module makes Node lex its 50 KB for export names,
// which keeps V8's optimizing compiler busy on the side (see c/parser.ts).
const ignore = createRequire(import.meta.url)('ignore') as typeof createIgnore;

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
    /** Outside a git work tree, .gitignore files mean nothing (as for git and ripgrep). */
    private readonly readsIgnoreFiles = true,
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
  static async above(root: string): Promise<IgnoreRules> {
    const top = gitWorkTreeTop(root);
    if (top === undefined) return IgnoreRules.disabled();
    const ancestors: string[] = [];
    for (let dir = root; dir !== top; ) {
      dir = dirname(dir);
      ancestors.unshift(dir);
    }
    let rules = IgnoreRules.none();
    for (const dir of ancestors) rules = await rules.enter(dir);
    return rules;
  }

  /** False outside git work trees and with --no-ignore: no directory below can add a rule. */
  get honoursIgnoreFiles(): boolean {
    return this.readsIgnoreFiles;
  }

  /** The rules for `dir`'s entries: these plus dir/.gitignore and, at a repository top, its exclude file. */
  async enter(dir: string): Promise<IgnoreRules> {
    if (!this.readsIgnoreFiles) return this;
    const added: IgnoreLayer[] = [];
    for (const file of [join(dir, '.git', 'info', 'exclude'), join(dir, '.gitignore')]) {
      const patterns = await readOptional(file);
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

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    // Missing or unreadable ignore files simply contribute no rules, as with git.
    return undefined;
  }
}
