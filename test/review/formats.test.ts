/** The outputs for review systems: GitHub annotations, reviewdog rdjson, a Markdown PR comment. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MACRO_KERNEL_EQUALITY_C, makeTempDir, removeTempDir, runCli, writeTree } from '../cli/cli-harness.js';
import { isolatedCache } from './git-harness.js';

describe('review-system output formats', { timeout: 30_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    await writeTree(dir, { 'src/macro.c': MACRO_KERNEL_EQUALITY_C });
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('prints GitHub workflow commands with escaped properties and notes', async () => {
    const run = await runCli(['scan', '--format', 'github'], { cwd: dir, env: isolatedCache(dir) });
    expect(run.code).toBe(1);
    const [line, ...rest] = run.stdout.trimEnd().split('\n');
    expect(rest).toEqual([]);
    expect(line).toMatch(/^::error file=src\/macro\.c,line=3,col=6,endLine=3,endColumn=\d+,title=RL001 kernel-equality::slot ownership decided by != TP_STATUS_KERNEL in SLOT_IS_MINE; test the TP_STATUS_USER bit%0A/);
    expect(line).toContain('%0Anote: src/macro.c:1:1: in expansion of macro SLOT_IS_MINE');
    expect(line).not.toMatch(/\n/);
  });

  it('prints reviewdog rdjson with a suggestion only where the fix is in the reported file', async () => {
    const run = await runCli(['scan', '--format', 'rdjson'], { cwd: dir, env: isolatedCache(dir) });
    const rdjson = JSON.parse(run.stdout) as {
      source: { name: string };
      diagnostics: Array<{
        severity: string;
        code: { value: string; url: string };
        location: { path: string; range: { start: { line: number } } };
        suggestions?: Array<{ range: { start: { line: number; column: number } }; text: string }>;
        related_locations: unknown[];
      }>;
    };
    expect(rdjson.source.name).toBe('ringlint');
    const [diagnostic] = rdjson.diagnostics;
    expect(diagnostic).toMatchObject({ severity: 'ERROR', code: { value: 'RL001' }, location: { path: 'src/macro.c', range: { start: { line: 3 } } } });
    expect(diagnostic!.code.url).toMatch(/RL001-kernel-equality\.md$/);
    expect(diagnostic!.suggestions).toEqual([
      {
        range: { start: { line: 1, column: 26 }, end: { line: 1, column: 60 } },
        text: '((h)->tp_status & TP_STATUS_USER) != 0',
      },
    ]);
    expect(diagnostic!.related_locations.length).toBeGreaterThan(0);
  });

  it('prints a Markdown summary for a pull-request comment', async () => {
    const run = await runCli(['scan', '--format', 'markdown'], { cwd: dir, env: isolatedCache(dir) });
    expect(run.stdout).toMatch(/^### ringlint: 1 problem \(1 error, 0 warnings\)\n\n\| \| Rule \| Location \| Problem \|\n/);
    expect(run.stdout).toContain('| :x: | [RL001 kernel-equality](https://github.com/ringlint/ringlint/blob/main/rules/RL001-kernel-equality.md) | `src/macro.c:3` |');
    expect(run.stdout).toContain('fix in `src/macro.c:1`: test the TP_STATUS_USER bit: ((h)->tp_status & TP_STATUS_USER) != 0');
    const clean = await runCli(['scan', 'nothing-here.c', '--format', 'markdown'], { cwd: dir, env: isolatedCache(dir) });
    expect(clean.code).toBe(2);
  });
});
