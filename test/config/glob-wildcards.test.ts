/**
 * The glob guard of path-filter.ts against what picomatch builds: any glob it accepts must compile
 * to a regular expression with at most two unbounded quantifiers and no repeated group holding one,
 * the shapes whose backtracking grows with a path's length as a power (or exponentially). Each
 * counterexample this property found was a hang on a config a repository can commit: '[+[+[+b'
 * (picomatch passes a '+' after an unclosed '[' as a quantifier), '*(*)b' (6.5 s against 26 a's),
 * '(**)+', '**(*)' and unbalanced parentheses.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globWildcardProblem, MAX_GLOB_WILDCARDS } from '../../src/config/path-filter.js';

const picomatch = createRequire(import.meta.url)('picomatch') as { makeRe(glob: string, options: { dot: boolean }): RegExp };

/** Unbounded quantifiers (`*`, `+`) outside character classes, and whether one repeats a group that holds another. */
function quantifiers(source: string): { count: number; nested: boolean } {
  let count = 0;
  let inClass = false;
  let nested = false;
  const countAtOpen: number[] = [];
  for (let index = 0; index < source.length; index++) {
    const char = source[index];
    if (char === '\\') index++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(') countAtOpen.push(count);
    else if (char === ')') nested ||= '*+'.includes(source[index + 1] ?? '') && count > (countAtOpen.pop() ?? 0);
    else if (char === '*' || char === '+') count++;
  }
  // A leading '!' wraps the match in a negative lookahead followed by `.*$`, which is linear.
  return { count: source.startsWith('^(?!^(') && source.endsWith(').*$') ? count - 1 : count, nested };
}

const PIECES = ['[', ']', '*', '**', 'a', 'b', '\\', '!', '^', '/', '(', ')', '+', '?', '@', '{', '}', ',', '.', '|', ':', '[:alpha:]', '{1..3}'];

describe('config globs', () => {
  it('are accepted only when picomatch builds a regular expression that cannot backtrack without bound', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 16 }).map((pieces) => pieces.join('')), (glob) => {
        if (glob === '' || globWildcardProblem(glob) !== undefined) return;
        const { count, nested } = quantifiers(picomatch.makeRe(glob, { dot: true }).source);
        expect({ glob, count: Math.min(count, MAX_GLOB_WILDCARDS + 1), nested }).toEqual({ glob, count: Math.min(count, MAX_GLOB_WILDCARDS), nested: false });
      }),
      { numRuns: 20_000, seed: 20261203 },
    );
  });

  it.each([
    ['[+[+[+b', "holds a '+' outside brackets"],
    ['*(*)b', 'repeats a group'],
    ['**(*)', 'repeats a group'],
    ['(**)+', 'holds a parenthesis that opens or closes no'],
    ['@(a)*', 'repeats a group'],
    ['a)b', 'holds a parenthesis'],
    ['*a*a*b', 'holds 3 wildcards'],
  ])('refuses %s', (glob, reason) => {
    expect(globWildcardProblem(glob)).toContain(reason);
  });

  it.each(['src/**/*.{c,h}', '**/test/**', 'vendor/*', '!(vendor)/*.c', '@(a|b)/x.c', 'c[+][+]/*', 'c\\+\\+/*', '[(]x[)].c'])('accepts %s', (glob) => {
    expect(globWildcardProblem(glob)).toBeUndefined();
  });
});
