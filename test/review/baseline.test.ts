/** Baselines through the CLI: fingerprints survive unrelated edits, stale entries are reported beside the findings. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir, runCli, scanJson, writeTree } from '../cli/cli-harness.js';
import { isolatedCache } from './git-harness.js';

const TEST = '__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_KERNEL';
const consumer = (name: string): string => `int ${name}(struct tpacket2_hdr *h)\n{\n\tif (${TEST})\n\t\treturn 1;\n\treturn 0;\n}\n`;

describe('baselines', { timeout: 30_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    await writeTree(dir, { 'src/a.c': consumer('first') + consumer('second') });
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('hides recorded findings after lines shift and functions move, and reports stale entries', async () => {
    const written = await runCli(['baseline', '--output', 'base.json'], { cwd: dir, env: isolatedCache(dir) });
    expect(written.code).toBe(0);
    const baseline = JSON.parse(await readFile(join(dir, 'base.json'), 'utf8')) as { version: number; entries: Array<{ fingerprint: string }> };
    expect(baseline.version).toBe(1);
    expect(baseline.entries).toHaveLength(2);
    expect(new Set(baseline.entries.map((entry) => entry.fingerprint)).size).toBe(2);

    // Move `second` above `first`, push everything down, and add a third copy of the same test.
    await writeFile(join(dir, 'src/a.c'), `/* a new header comment */\n\n${consumer('second')}${consumer('first')}${consumer('third')}`);
    const { run, report } = await scanJson(['--baseline', 'base.json'], { cwd: dir, env: isolatedCache(dir) });
    expect(report.findings.map((finding) => `${finding.file}:${finding.line}`)).toEqual(['src/a.c:17']);
    expect(run.stderr).toBe('');

    await writeFile(join(dir, 'src/a.c'), consumer('second'));
    const stale = await scanJson(['--baseline', 'base.json'], { cwd: dir, env: isolatedCache(dir) });
    expect(stale.run.code).toBe(0);
    expect(stale.report.findings).toEqual([]);
    expect(stale.run.stderr).toMatch(/^ringlint: stale baseline entries \(their findings are gone; run `ringlint baseline` to drop them\):\n {2}src\/a\.c:3: RL001 [0-9a-f]{32}:0\n$/);
  });

  it('rejects a file that is not a baseline with exit 2', async () => {
    await writeTree(dir, { 'bogus.json': '{"entries": 3}' });
    const run = await runCli(['scan', '--baseline', 'bogus.json'], { cwd: dir, env: isolatedCache(dir) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not a ringlint baseline');
  });
});
