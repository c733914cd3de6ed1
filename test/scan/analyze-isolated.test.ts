import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import { analyzeIsolatingFailures } from '../../src/scan/analyze-isolated.js';

function findingIn(file: string): Finding {
  return { ruleId: 'RL001', severity: 'error', file, line: 1, column: 1, endLine: 1, endColumn: 2, message: 'm', related: [] };
}

/** Reports one finding per file; throws on any batch containing a file whose text is `boom`. */
function fragileAnalyzer(calls: string[][]) {
  return (units: Array<{ path: string; text: string }>) => {
    calls.push(units.map((unit) => unit.path));
    if (units.some((unit) => unit.text === 'boom')) throw new RangeError('Maximum call stack size exceeded');
    return { findings: [...new Set(units.map((unit) => unit.path))].map(findingIn), errors: [] };
  };
}

describe('analyzeIsolatingFailures', () => {
  it('analyses all units in one call when nothing throws', () => {
    const calls: string[][] = [];
    const units = [{ path: 'a.c', text: '' }, { path: 'b.md', text: '' }, { path: 'b.md', text: '' }];
    const outcome = analyzeIsolatingFailures(units, fragileAnalyzer(calls));
    expect(calls).toEqual([['a.c', 'b.md', 'b.md']]);
    expect(outcome.findings.map((finding) => finding.file)).toEqual(['a.c', 'b.md']);
  });

  it('turns the file that makes the analyzer throw into an error entry and analyses the rest together', () => {
    const calls: string[][] = [];
    const units = [{ path: 'a.c', text: '' }, { path: 'bad.c', text: 'boom' }, { path: 'c.c', text: '' }];
    const outcome = analyzeIsolatingFailures(units, fragileAnalyzer(calls));
    expect(outcome.errors).toEqual([
      { file: 'bad.c', message: 'internal error while analysing: RangeError: Maximum call stack size exceeded' },
    ]);
    expect(outcome.findings.map((finding) => finding.file)).toEqual(['a.c', 'c.c']);
    expect(calls.at(-1)).toEqual(['a.c', 'c.c']);
  });
});
