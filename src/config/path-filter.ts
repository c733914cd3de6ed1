import { createRequire } from 'node:module';
import { relative, resolve, sep } from 'node:path';
import type picomatchFunction from 'picomatch';
import type { LoadedConfig } from './config-file.js';

/** Whether findings in a file (display path, relative to `cwd`) are reported under the config's include/exclude globs. */
export function reportedPathFilter(loaded: LoadedConfig | undefined, cwd: string): (displayPath: string) => boolean {
  const include = loaded?.config.include;
  const exclude = loaded?.config.exclude;
  if (!loaded || ((!include || include.length === 0) && (!exclude || exclude.length === 0))) return () => true;
  // picomatch is loaded only for a config with globs: most scans have none, and a cached scan should
  // not pay for it. It is CommonJS, so require() loads it here without making this filter async.
  const picomatch = createRequire(import.meta.url)('picomatch') as typeof picomatchFunction;
  const base = resolve(loaded.path, '..');
  const included = include && include.length > 0 ? picomatch(include, { dot: true }) : () => true;
  const excluded = exclude && exclude.length > 0 ? picomatch(exclude, { dot: true }) : () => false;
  return (displayPath) => {
    const path = relative(base, resolve(cwd, displayPath)).split(sep).join('/');
    return included(path) && !excluded(path);
  };
}

/**
 * The most unbounded wildcards a glob may hold: each `*` run (`**` included) and each extglob
 * group (`?(`, `@(`, `!(`; the repeated ones, `*(` and `+(`, are refused). picomatch compiles them to lazy quantifiers that a path
 * almost matching makes the regular expression engine try in every combination: k of them cost up
 * to the path's length to the power k (`**a**a**b` against a long run of a's, `*a` ten times and a
 * `b`: test/review/config.test.ts holds such cases), and a scanned repository writes both its
 * config and its paths. Two keep every path's match quadratic at worst.
 */
export const MAX_GLOB_WILDCARDS = 2;

const BARE_PARENTHESIS = "holds a parenthesis that opens or closes no ?(…), @(…) or !(…) group: write [(] or \\( for the character";

/** Why `glob` may not be matched against paths, or undefined. Escaped characters and bracket expressions hold no wildcard. */
export function globWildcardProblem(glob: string): string | undefined {
  // A repeated group holding a wildcard is a nested quantifier, exponential on its own ('*(*)b'
  // against a run of a's); and repeated groups serve no file name.
  const repeatedGroup = 'repeats a group with *(…) or (…)*, which is not supported: matching it can take exponential time';
  let wildcards = 0;
  let groups = 0;
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index];
    if (char === '\\') {
      index++;
    } else if (char === '[') {
      const end = glob.indexOf(']', index + 2); // a ']' first in the brackets is one of them
      if (end > 0) index = end;
    } else if (char === '+') {
      // Besides an extglob's '+(', picomatch passes a '+' after a bracket, a group or an unclosed
      // '[' to the regular expression as a quantifier ('[+[+[+b' is \\[+\\[+\\[+b, '(*[:alpha:]+' a
      // repeated group): the character is written [+] or \\+.
      return "holds a '+' outside brackets, which picomatch may take for a repetition: write [+] or \\+ for the character";
    } else if (char === '*') {
      wildcards++;
      while (glob[index + 1] === '*') index++;
      if (glob[index + 1] === '(') return repeatedGroup;
    } else if (char === ')') {
      // A ')' that closes no extglob, as a bare '(' below, makes picomatch escape some parentheses
      // and not others: what it then builds cannot be told from the glob.
      if (groups === 0) return BARE_PARENTHESIS;
      groups--;
      if (glob[index + 1] === '*') return repeatedGroup;
    } else if (char === '(') {
      if (!'?@!'.includes(glob[index - 1] ?? '') || index === 0) return BARE_PARENTHESIS;
      wildcards++;
      groups++;
    }
  }
  return wildcards > MAX_GLOB_WILDCARDS
    ? `holds ${wildcards} wildcards (* runs, ** and extglob groups); at most ${MAX_GLOB_WILDCARDS} are allowed, as matching time grows with a path's length to the power of their number`
    : undefined;
}
