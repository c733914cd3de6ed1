/** --fix-dry-run prints a diff on standard output; where the report goes then, for each format. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KERNEL_EQUALITY_C, makeTempDir, removeTempDir, runCli, writeTree } from './cli-harness.js';

const DIFF = '--- a/consumer.c\n+++ b/consumer.c\n';

describe('--fix-dry-run with a report format', { timeout: 30_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    await writeTree(dir, { 'consumer.c': KERNEL_EQUALITY_C });
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('prints the diff on standard output and the text report on standard error', async () => {
    for (const format of [[], ['--format', 'text']]) {
      const run = await runCli(['scan', '--fix-dry-run', ...format], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stdout.startsWith(DIFF)).toBe(true);
      expect(run.stdout).toContain('+\tif ((h->tp_status & TP_STATUS_USER) != 0) return 1;\n');
      expect(run.stderr).toMatch(/^consumer\.c:2:\d+: error: .* \[RL001\]$/m);
    }
  });

  it('turns away another format without --output, which would share standard output with the diff', async () => {
    const run = await runCli(['scan', '--fix-dry-run', '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--fix-dry-run prints the diff on standard output: add --output FILE for the json report');
  });

  it('writes another format to --output beside the diff', async () => {
    const run = await runCli(['scan', '--fix-dry-run', '--format', 'json', '--output', 'report.json'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout.startsWith(DIFF)).toBe(true);
    expect(run.stderr).toBe('');
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as { findings: Array<{ ruleId: string }> };
    expect(report.findings.map((finding) => finding.ruleId)).toEqual(['RL001']);
    expect(await readFile(join(dir, 'consumer.c'), 'utf8')).toBe(KERNEL_EQUALITY_C);
  });
});
