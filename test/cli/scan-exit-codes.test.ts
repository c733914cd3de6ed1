import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KERNEL_EQUALITY_C, PLAIN_C, makeTempDir, removeTempDir, runCli, scanJson, writeTree } from './cli-harness.js';

/** TPACKET_V3 block ownership by KERNEL equality: RL004, a warning. */
const V3_BLOCK_EQUALITY_C =
  'int ready(struct tpacket_block_desc *b) {\n' +
  '\tif (b->hdr.bh1.block_status == TP_STATUS_KERNEL) return 0;\n' +
  '\treturn 1;\n' +
  '}\n';

describe('ringlint scan exit codes', { timeout: 30_000 }, () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  it('exits 0 and prints only the summary when there is nothing to report', async () => {
    await writeTree(dir, { 'plain.c': PLAIN_C });
    const run = await runCli(['scan'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('no problems in 1 file\n');
  });

  it('exits 1 when there are findings', async () => {
    await writeTree(dir, { 'consumer.c': KERNEL_EQUALITY_C });
    const run = await runCli(['scan'], { cwd: dir });
    expect(run.code).toBe(1);
  });

  it('exits 2 with a clear message for an unknown format', async () => {
    const run = await runCli(['scan', '--format', 'xml'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("argument 'xml' is invalid");
    expect(run.stderr).toContain('text, json, sarif');
  });

  it('exits 2 naming a path that does not exist', async () => {
    const run = await runCli(['scan', 'missing-dir'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no such file or directory: missing-dir');
    expect(run.stdout).toBe('');
  });

  it('exits 2 for a malformed --max-file-size', async () => {
    const run = await runCli(['scan', '--max-file-size', 'huge'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected a size such as 8mb');
  });

  it('leaves findings below --severity out of the report and the exit code', async () => {
    await writeTree(dir, { 'v3.c': V3_BLOCK_EQUALITY_C });
    const all = await scanJson([], { cwd: dir });
    expect(all.run.code).toBe(1);
    expect(all.report.findings.map((finding) => finding.ruleId)).toContain('RL004');
    const errorsOnly = await scanJson(['--severity', 'error'], { cwd: dir });
    expect(errorsOnly.run.code).toBe(0);
    expect(errorsOnly.report.findings).toEqual([]);
  });

  it('is not made to fail by per-file errors alone', async () => {
    await writeTree(dir, { 'plain.c': PLAIN_C, 'blob.c': Uint8Array.from([0, 1, 2, 3]) });
    const run = await runCli(['scan'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 file could not be analysed in full:\n  blob.c: binary file, skipped');
  });
});
