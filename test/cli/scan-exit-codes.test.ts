import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KERNEL_EQUALITY_C, PLAIN_C, makeTempDir, REPO_ROOT, removeTempDir, runCli, scanJson, writeTree } from './cli-harness.js';

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
    expect(run.stderr).toContain('such as 8mb, 512kb');
  });

  it('leaves findings below --severity out of the report', async () => {
    await writeTree(dir, { 'v3.c': V3_BLOCK_EQUALITY_C });
    const all = await scanJson([], { cwd: dir });
    expect(all.report.findings.map((finding) => finding.ruleId)).toContain('RL004');
    const errorsOnly = await scanJson(['--severity', 'error', '--max-warnings', '0'], { cwd: dir });
    expect(errorsOnly.run.code).toBe(0);
    expect(errorsOnly.report.findings).toEqual([]);
  });

  it('passes on warnings alone unless --max-warnings says how many are too many', async () => {
    await writeTree(dir, { 'v3.c': V3_BLOCK_EQUALITY_C, 'v3-again.c': V3_BLOCK_EQUALITY_C.replace('ready', 'again') });
    const warnings = await runCli(['scan'], { cwd: dir });
    expect(warnings.code).toBe(0);
    expect(warnings.stdout).toMatch(/^v3\.c:2:6: warning: .* \[RL004\]$/m);
    expect(warnings.stderr).toBe('');
    const atLimit = await runCli(['scan', '--max-warnings', '2'], { cwd: dir });
    expect(atLimit.code).toBe(0);
    const overLimit = await runCli(['scan', '--max-warnings', '1'], { cwd: dir });
    expect(overLimit.code).toBe(1);
    expect(overLimit.stderr).toBe('ringlint: 2 warnings, more than --max-warnings 1 allows\n');
    const json = await scanJson(['--max-warnings=0'], { cwd: dir });
    expect(json.run.code).toBe(1);
    expect(json.report.findings).toHaveLength(2);
    const notACount = await runCli(['scan', '--max-warnings', 'few'], { cwd: dir });
    expect(notACount.code).toBe(2);
    expect(notACount.stderr).toContain('expected a number of warnings from 0');
  });

  it('fails on an error whatever --max-warnings allows', async () => {
    await writeTree(dir, { 'v3.c': V3_BLOCK_EQUALITY_C, 'consumer.c': KERNEL_EQUALITY_C });
    const run = await runCli(['scan', '--max-warnings', '10'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
  });

  it('is not made to fail by per-file errors alone', async () => {
    await writeTree(dir, { 'plain.c': PLAIN_C, 'blob.c': Uint8Array.from([0, 1, 2, 3]) });
    const run = await runCli(['scan'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 file could not be analysed in full:\n  blob.c: binary file, skipped');
  });

  it('exits 2 when there is no file it reads under the given paths', async () => {
    await writeTree(dir, { 'empty/.keep': '', 'python/tool.py': 'status = 0\n' });
    for (const path of ['empty', 'python']) {
      const run = await runCli(['scan', path], { cwd: dir });
      expect(run.code, path).toBe(2);
      const said = new RegExp(`^ringlint: nothing to analyse: no file under ${path} is one ringlint reads \\(([^)]*)\\)\n$`).exec(run.stderr);
      expect(said, run.stderr).not.toBeNull();
      expect(said![1]!.split(' ')).toEqual(expect.arrayContaining(['.c', '.h', '.ts', '.js', '.md', '.rst']));
      const json = await runCli(['scan', path, '--format', 'json'], { cwd: dir });
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout)).toMatchObject({ findings: [], filesScanned: 0 });
    }
  });

  it('exits 0 for a tree whose files were all considered and none can matter: that is a clean tree', async () => {
    await writeTree(dir, { 'a.c': PLAIN_C, 'b.h': '#define N 4\n', 'README.md': '# no code\n' });
    for (const extra of [[], ['--no-prefilter'], ['--max-file-size', '1']]) {
      const run = await runCli(['scan', ...extra], { cwd: dir });
      expect(run.code, extra.join(' ')).toBe(0);
      expect(run.stderr).toBe('');
    }
  });

  it('exits 2 when every file failed before anything of it was analysed', async () => {
    await writeTree(dir, { 'blob.c': Uint8Array.from([0, 1, 2, 3]), 'consumer.c': KERNEL_EQUALITY_C, 'plain.c': PLAIN_C });
    const alone = await runCli(['scan', 'blob.c'], { cwd: dir });
    expect(alone.code).toBe(2);
    expect(alone.stdout).toContain('blob.c: binary file, skipped');
    expect(alone.stderr).toBe('ringlint: nothing analysed: the only file could not be read or analysed (see its error)\n');
    // Over the size limit while naming the status word is a failure too; one file analysed is enough.
    const tooBig = await runCli(['scan', 'blob.c', 'consumer.c', '--max-file-size', '64'], { cwd: dir });
    expect(tooBig.code).toBe(2);
    expect(tooBig.stderr).toContain('none of the 2 files could be read or analysed');
    const oneGood = await runCli(['scan', 'blob.c', 'plain.c', '--max-file-size', '64'], { cwd: dir });
    expect(oneGood.code).toBe(0);
  });

  it('exits 2 for a --max-file-size of 0, which would analyse nothing, or over what a scan can hold', async () => {
    await writeTree(dir, { 'consumer.c': KERNEL_EQUALITY_C });
    for (const size of ['0', '1gb', '99999999999999999999999', '9'.repeat(400)]) {
      const run = await runCli(['scan', '--max-file-size', size], { cwd: dir });
      expect(run.code, size).toBe(2);
      expect(run.stderr, size).toContain(`option '--max-file-size <size>' argument '${size}' is invalid. expected a size from 1 byte to 536870888 bytes`);
      expect(run.stdout, size).toBe('');
    }
    expect((await runCli(['scan', '--max-file-size', '536870888'], { cwd: dir })).code).toBe(1);
  });

  it('exits 2 for a --max-warnings count it could not hold exactly', async () => {
    await writeTree(dir, { 'consumer.c': KERNEL_EQUALITY_C });
    const run = await runCli(['scan', '--max-warnings', '99999999999999999999'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected a number of warnings from 0 to 9007199254740991');
    expect((await runCli(['scan', '--max-warnings', '9007199254740991'], { cwd: dir })).code).toBe(1);
  });
});

describe('ringlint help', { timeout: 30_000 }, () => {
  it('prints the help and exits 0 for `help` and `help <command>`, as for --help', async () => {
    const top = await runCli(['help'], { cwd: REPO_ROOT });
    expect(top).toMatchObject({ code: 0, stderr: '' });
    expect(top.stdout).toMatch(/^Usage: ringlint \[options\] \[command\]/);
    for (const command of ['scan', 'review', 'baseline', 'check']) {
      const help = await runCli(['help', command], { cwd: REPO_ROOT });
      expect(help, command).toMatchObject({ code: 0, stderr: '' });
      expect(help.stdout).toContain(`Usage: ringlint ${command} [options]`);
      expect(help.stdout).toBe((await runCli([command, '--help'], { cwd: REPO_ROOT })).stdout);
    }
  });

  it('exits 2 with the help on standard error when the command line names no command or an unknown one', async () => {
    for (const args of [[], ['help', 'nope']]) {
      const run = await runCli(args, { cwd: REPO_ROOT });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('Usage: ringlint [options] [command]');
    }
  });
});
