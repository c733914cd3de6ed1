/**
 * src/ has no import cycles: a cycle makes the modules in it one unit that cannot be read, tested or
 * loaded apart, and a singleton one of them "takes over" from another is how the last one came about
 * (cache/scan-cache.ts ↔ cli/output-replay.ts). Each cycle found is named, module by module.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../cli/cli-harness.js';
import { importCycles, importGraph } from './import-graph.js';

describe('the import graph of src/', () => {
  const graph = importGraph(join(REPO_ROOT, 'src'));

  it('is read whole: static, type-only and, when asked, dynamic imports', () => {
    expect(graph.get('cli/program.ts')).toEqual(
      new Set(['cli/commander.ts', 'cli/baseline-command.ts', 'cli/review-command.ts', 'cli/scan-command.ts', 'runtime/check-command.ts', 'scan/run-scan.ts', 'version.ts']),
    );
    expect(graph.get('cli/main.ts')).toEqual(new Set());
    expect(importGraph(join(REPO_ROOT, 'src'), { dynamic: true }).get('cli/main.ts')).toEqual(new Set(['cache/early-stamp-check.ts', 'cli/prestart.ts', 'cli/standard-streams.ts', 'cli/program.ts']));
  });

  it('has no cycle', () => {
    expect(importCycles(graph).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it('names a cycle, and finds one through a type-only import', () => {
    const cycle = new Map([
      ['cache/scan-cache.ts', new Set(['native/ringscan.ts', 'cli/output-replay.ts'])], // import type { RecordedOutput }
      ['cli/output-replay.ts', new Set(['cache/scan-cache.ts'])],
      ['native/ringscan.ts', new Set<string>()],
      ['cli/main.ts', new Set(['cli/output-replay.ts'])],
    ]);
    expect(importCycles(cycle)).toEqual([['cache/scan-cache.ts', 'cli/output-replay.ts', 'cache/scan-cache.ts']]);
    expect(importCycles(new Map([['a.ts', new Set(['a.ts'])]]))).toEqual([['a.ts', 'a.ts']]);
    expect(importCycles(new Map([['a.ts', new Set(['b.ts'])], ['b.ts', new Set<string>()]]))).toEqual([]);
  });
});
