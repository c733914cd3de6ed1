/**
 * RINGLINT_PREFILTER names the scan's search engine: `ringscan` (the default) or `node`. A value
 * naming neither (an engine that is gone, as `ripgrep` and `workers` are, or a typo) is said once on
 * stderr, with the accepted values, and the scan goes on with the default.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KERNEL_EQUALITY_C, makeTempDir, removeTempDir, scanJson, writeTree } from './cli-harness.js';

describe('RINGLINT_PREFILTER', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    await writeTree(dir, { 'k.c': KERNEL_EQUALITY_C, 'sub/k2.c': KERNEL_EQUALITY_C });
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  const scan = (engine: string) => scanJson(['--quiet'], { cwd: dir, env: { RINGLINT_PREFILTER: engine, XDG_CACHE_HOME: `${dir}/cache-${engine}` } });
  const found = (report: Awaited<ReturnType<typeof scan>>['report']): string[] => report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`);

  it.each(['ripgrep', 'workers', 'Node'])('warns once of %s, naming the accepted values, and scans as by default', async (engine) => {
    const { run, report } = await scan(engine);
    expect(run.stderr).toBe(`ringlint: warning: RINGLINT_PREFILTER=${engine} is not an engine (ringscan, node); using ringscan where it is built\n`);
    expect(found(report)).toEqual(['k.c:2 RL001', 'sub/k2.c:2 RL001']);
  });

  it.each(['ringscan', 'node'])('takes %s without a word', async (engine) => {
    const { run, report } = await scan(engine);
    expect(run.stderr).toBe('');
    expect(found(report)).toEqual(['k.c:2 RL001', 'sub/k2.c:2 RL001']);
  });
});
