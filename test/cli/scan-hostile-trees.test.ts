/**
 * Issue 15's scan-side findings, as the sweep reproduced them, through the CLI: control files that
 * are FIFOs, devices or huge (F9), cache files that are (F24), a directory that can be read but not
 * entered (F11) and file names that are not UTF-8 (F17). Every run has a deadline: a hang fails
 * the test instead of holding up the suite.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KERNEL_EQUALITY_C, makeTempDir, removeTempDir, runCli, scanJson, writeTree, type CliRunOptions, type JsonReport } from './cli-harness.js';

const DEADLINE = { deadlineMs: 20_000 };
const NOBODY = 65534;
const AS_NOBODY: Partial<CliRunOptions> = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};

const found = (report: JsonReport): string[] => report.findings.map((finding) => `${finding.file} ${finding.ruleId}`);
const errorsOf = (report: JsonReport): string[] => report.errors.map((error) => `${error.file}: ${error.message}`);

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dir);
});

describe('control files that are not regular files (F9)', { timeout: 60_000 }, () => {
  const scan = async (args: string[] = []) => (await scanJson(['--no-cache', ...args], { cwd: dir, ...DEADLINE })).report;

  beforeEach(async () => {
    await writeTree(dir, { 'k.c': KERNEL_EQUALITY_C, 'sub/k2.c': KERNEL_EQUALITY_C });
    execFileSync('git', ['init', '-q', dir]);
  });

  it('lists a FIFO .gitignore, at the top or below, and scans on without its patterns', async () => {
    execFileSync('mkfifo', [join(dir, '.gitignore'), join(dir, 'sub', '.gitignore')]);
    const report = await scan();
    expect(found(report)).toEqual(['k.c RL001', 'sub/k2.c RL001']);
    expect(errorsOf(report)).toEqual([
      '.gitignore: ignore file not read: not a regular file; its patterns are not applied',
      'sub/.gitignore: ignore file not read: not a regular file; its patterns are not applied',
    ]);
  });

  it('does not take an ignore file it could not read for a scan that analysed nothing', async () => {
    rmSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'k.c'), 'int add(int a, int b) { return a + b; }\n');
    execFileSync('mkfifo', [join(dir, '.gitignore')]);
    const run = await runCli(['scan', '--no-cache'], { cwd: dir, ...DEADLINE });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('lists a FIFO or a link to a device as .git/info/exclude, and a .gitignore larger than any a person writes', async () => {
    const exclude = join(dir, '.git', 'info', 'exclude');
    rmSync(exclude, { force: true });
    execFileSync('mkfifo', [exclude]);
    writeFileSync(join(dir, 'sub', '.gitignore'), 'k2.c\n');
    truncateSync(join(dir, 'sub', '.gitignore'), 17 * 1024 * 1024);
    const report = await scan();
    expect(found(report)).toEqual(['k.c RL001', 'sub/k2.c RL001']);
    expect(errorsOf(report)).toEqual([
      '.git/info/exclude: ignore file not read: not a regular file; its patterns are not applied',
      'sub/.gitignore: ignore file not read: too large to be what it should be; its patterns are not applied',
    ]);
    rmSync(exclude);
    symlinkSync('/dev/zero', exclude);
    expect(errorsOf(await scan())).toContain('.git/info/exclude: ignore file not read: not a regular file; its patterns are not applied');
  });

  it('still honours an ignore file that can be read, and one it reaches through a link as git does', async () => {
    writeFileSync(join(dir, 'patterns'), 'k2.c\n');
    rmSync(join(dir, '.git', 'info', 'exclude'), { force: true });
    symlinkSync(join(dir, 'patterns'), join(dir, '.git', 'info', 'exclude'));
    expect(found(await scan())).toEqual(['k.c RL001']);
  });

  it('refuses a FIFO or a device as the baseline, naming it, instead of waiting', async () => {
    execFileSync('mkfifo', [join(dir, 'bl')]);
    writeFileSync(join(dir, 'ringlint.config.json'), JSON.stringify({ baseline: 'bl' }));
    const viaConfig = await runCli(['scan', '--no-cache'], { cwd: dir, ...DEADLINE });
    expect(viaConfig.code).toBe(2);
    expect(viaConfig.stderr).toContain(`cannot read baseline ${join(dir, 'bl')}: not a regular file`);
    const device = await runCli(['scan', '--no-cache', '--baseline', '/dev/zero'], { cwd: dir, ...DEADLINE });
    expect(device.code).toBe(2);
    expect(device.stderr).toContain('cannot read baseline /dev/zero: not a regular file');
  });
});

describe('cache files that are not regular files (F24)', { timeout: 60_000 }, () => {
  it('scans on, with the right answer, when hint, report and stamps files are links to /dev/zero or FIFOs', async () => {
    await writeTree(dir, { 'tree/k.c': KERNEL_EQUALITY_C });
    const cacheHome = join(dir, 'cache');
    for (const engine of ['ringscan', 'node']) {
      const run = () => scanJson([], { cwd: join(dir, 'tree'), env: { XDG_CACHE_HOME: cacheHome, RINGLINT_PREFILTER: engine }, ...DEADLINE });
      for (const plant of [(path: string) => symlinkSync('/dev/zero', path), (path: string) => execFileSync('mkfifo', [path])]) {
        await run();
        await run(); // answered from the cache
        const cacheFiles = readdirSync(join(cacheHome, 'ringlint')).filter((name) => !name.endsWith('.tmp'));
        expect(cacheFiles.map((name) => name.replace(/-[0-9a-f]+\./, '-*.')).sort()).toEqual(['hint-*.json', 'scan-*.json', 'scan-*.stamps']);
        for (const name of cacheFiles) {
          rmSync(join(cacheHome, 'ringlint', name));
          plant(join(cacheHome, 'ringlint', name));
        }
        const { run: planted, report } = await run();
        expect(planted.stderr).not.toMatch(/bad_alloc|Error/);
        expect(found(report)).toEqual(['k.c RL001']);
        rmSync(cacheHome, { recursive: true });
      }
    }
  });
});

describe('a directory that can be read but not entered (F11)', { timeout: 60_000 }, () => {
  it('lists its files with EACCES, with ringscan as without it', async () => {
    await writeTree(dir, { 't/k.c': KERNEL_EQUALITY_C, 't/d/k2.c': KERNEL_EQUALITY_C });
    await chmod(join(dir, 't', 'd'), 0o644);
    try {
      for (const engine of ['ringscan', 'node']) {
        const { report } = await scanJson(['t', '--no-cache'], { cwd: dir, env: { RINGLINT_PREFILTER: engine }, ...AS_NOBODY, ...DEADLINE });
        expect(found(report)).toEqual(['t/k.c RL001']);
        expect(errorsOf(report)).toEqual(['t/d/k2.c: cannot read: permission denied (EACCES)']);
      }
    } finally {
      await chmod(join(dir, 't', 'd'), 0o755);
    }
  });
});

describe('file names that are not UTF-8 (F17)', { timeout: 60_000 }, () => {
  /** `n\xff.c` and, in a directory `d\xfe`, `k.c`: bytes no UTF-8 decoding keeps. */
  async function writeBadNames(root: string): Promise<void> {
    await mkdir(root, { recursive: true });
    writeFileSync(Buffer.concat([Buffer.from(`${root}/n`), Buffer.of(0xff), Buffer.from('.c')]), KERNEL_EQUALITY_C);
    mkdirSync(Buffer.concat([Buffer.from(`${root}/d`), Buffer.of(0xfe)]));
    writeFileSync(Buffer.concat([Buffer.from(`${root}/d`), Buffer.of(0xfe), Buffer.from('/k.c')]), KERNEL_EQUALITY_C);
  }
  // JSON keeps the bytes as escapes of lone surrogates (U+DC80 + byte - 0x80, as Python's surrogateescape).
  const EXPECTED = ['d\udcfe/k.c RL001', 'n\udcff.c RL001'];

  it('keeps their findings whatever walks and searches the tree', async () => {
    await writeBadNames(join(dir, 'plain'));
    await writeBadNames(join(dir, 'repo'));
    execFileSync('git', ['init', '-q', join(dir, 'repo')]); // Node's walk, then ringscan's search of what it chose
    for (const engine of ['ringscan', 'node']) {
      for (const tree of ['plain', 'repo']) {
        const { report } = await scanJson(['--no-cache'], { cwd: join(dir, tree), env: { RINGLINT_PREFILTER: engine }, ...DEADLINE });
        expect({ engine, tree, found: found(report), errors: report.errors }).toEqual({ engine, tree, found: EXPECTED, errors: [] });
      }
    }
  });

  it('shows their code from the cache too, and fixes them', async () => {
    await writeBadNames(dir);
    const env = { XDG_CACHE_HOME: join(dir, '.cache') };
    const first = await runCli(['scan'], { cwd: dir, env, ...DEADLINE });
    const cached = await runCli(['scan'], { cwd: dir, env, ...DEADLINE });
    // Printed, a lone surrogate is U+FFFD; the code frame shows the file was read.
    expect(cached).toEqual(first);
    expect(cached.stdout).toContain('n\ufffd.c:2:6: error');
    expect(cached.stdout).toContain(' 2 | \tif (h->tp_status != TP_STATUS_KERNEL) return 1;');
    const fixed = await runCli(['scan', '--fix', '--no-cache'], { cwd: dir, env, ...DEADLINE });
    expect(fixed.stderr).toContain('fixed 2 findings in 2 files');
    expect((await scanJson(['--no-cache'], { cwd: dir, env, ...DEADLINE })).report.findings).toEqual([]);
  });
});
