/**
 * A scan answered by replaying the previous identical invocation's output. Replay is proven without
 * timing: the recorded output in the hint is replaced by a marker, which only a replay can print.
 * Every input the output depends on is changed in turn, and each change must bring the real,
 * up-to-date output back instead of the marker.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KERNEL_EQUALITY_C, makeTempDir, REPO_ROOT, removeTempDir, runCli, writeTree, type CliRun } from './cli-harness.js';

/** Replay needs ringscan's stamp check; `npm run build` builds it wherever a C compiler is, as in CI. */
const BUILT = existsSync(join(REPO_ROOT, 'dist', 'native', 'ringscan')) || process.env.CI !== undefined;
const HOUR_AGO = new Date(Date.now() - 3_600_000);
const MARKER = 'REPLAYED\n';

describe.runIf(BUILT)('output replay', { timeout: 60_000 }, () => {
  let dir: string;
  let tree: string;
  let cacheDir: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = await makeTempDir();
    tree = join(dir, 'tree');
    cacheDir = join(dir, 'cache', 'ringlint');
    env = { XDG_CACHE_HOME: join(dir, 'cache') };
    await writeTree(tree, { 'a.c': KERNEL_EQUALITY_C, 'sub/b.c': 'int b(void) { return 0; }\n' });
    age('a.c', 'sub/b.c', 'sub', '.');
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  /** Stamps older than the racy window, as files at rest have. */
  function age(...paths: string[]): void {
    for (const path of paths) utimesSync(join(tree, path), HOUR_AGO, HOUR_AGO);
  }

  const scan = (args: string[] = [], extraEnv: Record<string, string> = {}): Promise<CliRun> =>
    runCli(['scan', ...args], { cwd: tree, env: { ...env, ...extraEnv } });

  /** Rewrites the output every hint recorded with `edit`; the number of hints that had one. */
  function editRecordedOutputs(edit: (output: Record<string, unknown>) => unknown): number {
    let edited = 0;
    for (const name of readdirSync(cacheDir).filter((file) => file.startsWith('hint-'))) {
      const hint = JSON.parse(readFileSync(join(cacheDir, name), 'utf8')) as { output?: unknown };
      if (!hint.output) continue;
      hint.output = edit(hint.output as Record<string, unknown>);
      writeFileSync(join(cacheDir, name), JSON.stringify(hint));
      edited++;
    }
    return edited;
  }

  /** Replaces the standard output every hint recorded with the marker; the number of hints changed. */
  const markRecordedOutputs = (): number => editRecordedOutputs((output) => ({ ...output, stdout: [MARKER] }));

  /** A first run records; the marker proves the second is a replay of it, with the same standard error and exit code. */
  async function expectReplayed(args: string[] = [], extraEnv: Record<string, string> = {}): Promise<CliRun> {
    const first = await scan(args, extraEnv);
    expect(markRecordedOutputs()).toBeGreaterThan(0);
    const replayed = await scan(args, extraEnv);
    expect(replayed).toEqual({ ...first, stdout: MARKER });
    return first;
  }

  it('prints the previous output, standard error and exit code while nothing changed', async () => {
    writeFileSync(join(tree, 'a.c'), `// ringlint-disable-next-line RL002 -- checked\n${KERNEL_EQUALITY_C}`);
    age('a.c');
    const first = await expectReplayed();
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('a.c');
    expect(first.stderr).toContain('unused suppression');
  });

  it('replays the exit status of a run that analysed nothing, or reported too many warnings, with its reason', async () => {
    await writeTree(tree, {
      'docs/notes.txt': 'tp_status\n',
      'v3/ring.c': 'int r(struct tpacket_block_desc *b) {\n\tif (b->hdr.bh1.block_status == TP_STATUS_KERNEL) return 0;\n\treturn 1;\n}\n',
    });
    age('docs/notes.txt', 'docs', 'v3/ring.c', 'v3', '.');
    const nothing = await expectReplayed(['docs']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('ringlint: nothing to analyse: no file under docs');
    const tooMany = await expectReplayed(['v3', '--max-warnings', '0']);
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toBe('ringlint: 1 warning, more than --max-warnings 0 allows\n');
    // The same tree without the limit is another invocation, and passes.
    expect((await scan(['v3'])).code).toBe(0);
  });

  it('fills in a fresh elapsed time in JSON', async () => {
    const first = await scan(['--format', 'json']);
    const replayed = await scan(['--format', 'json']);
    const { elapsedMs: firstElapsed, ...firstRest } = JSON.parse(first.stdout) as { elapsedMs: number };
    const { elapsedMs, ...rest } = JSON.parse(replayed.stdout) as { elapsedMs: number };
    expect(rest).toEqual(firstRest);
    expect(typeof elapsedMs).toBe('number');
    expect(elapsedMs).not.toBe(firstElapsed);
    expect(replayed.stdout.replace(`"elapsedMs": ${elapsedMs}`, `"elapsedMs": ${firstElapsed}`)).toBe(first.stdout);
  });

  it('does not replay over a changed file, a new file or a removed file', async () => {
    await expectReplayed();
    writeFileSync(join(tree, 'sub/b.c'), KERNEL_EQUALITY_C.replace('int f', 'int g'));
    age('sub/b.c');
    const changed = await scan();
    expect(changed.stdout).toContain('sub/b.c');
    markRecordedOutputs();
    writeFileSync(join(tree, 'sub/c.c'), KERNEL_EQUALITY_C);
    age('sub/c.c');
    expect((await scan()).stdout).toContain('sub/c.c');
    markRecordedOutputs();
    rmSync(join(tree, 'a.c'));
    const removed = await scan();
    expect(removed.stdout).not.toContain(MARKER);
    expect(removed.stdout).not.toMatch(/^a\.c/m);
  });

  it('does not replay when a config file appears, changes or goes, or the baseline changes', async () => {
    await expectReplayed();
    const config = join(tree, 'ringlint.config.json');
    writeFileSync(config, JSON.stringify({ rules: { RL001: 'off' } }));
    age('ringlint.config.json', '.');
    const off = await scan();
    expect(off).toMatchObject({ code: 0 });
    expect(off.stdout).not.toContain(MARKER);
    markRecordedOutputs();
    writeFileSync(config, JSON.stringify({ rules: { RL001: 'error' } }));
    age('ringlint.config.json');
    expect((await scan()).code).toBe(1);
    markRecordedOutputs();
    rmSync(config);
    age('.');
    expect((await scan()).stdout).not.toContain(MARKER);

    const baseline = join(dir, 'baseline.json');
    expect((await runCli(['baseline', '--output', baseline], { cwd: tree, env })).code).toBe(0);
    utimesSync(baseline, HOUR_AGO, HOUR_AGO);
    await expectReplayed(['--baseline', baseline]);
    const hidden = JSON.parse(readFileSync(baseline, 'utf8')) as { entries: unknown[] };
    expect(hidden.entries).toHaveLength(1);
    writeFileSync(baseline, JSON.stringify({ ...hidden, entries: [] }));
    utimesSync(baseline, HOUR_AGO, HOUR_AGO);
    const unhidden = await scan(['--baseline', baseline]);
    expect(unhidden.code).toBe(1);
    expect(unhidden.stdout).toContain('a.c');
  });

  it('does not replay when a root that is a symbolic link points elsewhere now', async () => {
    await writeTree(join(dir, 'other'), { 'clean.c': 'int c(void) { return 0; }\n' });
    for (const path of ['other/clean.c', 'other']) utimesSync(join(dir, path), HOUR_AGO, HOUR_AGO);
    symlinkSync(tree, join(dir, 'current'));
    const viaLink = (): Promise<CliRun> => runCli(['scan', 'current'], { cwd: dir, env });
    expect((await viaLink()).code).toBe(1);
    expect(markRecordedOutputs()).toBeGreaterThan(0);
    expect((await viaLink()).stdout).toBe(MARKER);
    rmSync(join(dir, 'current'));
    symlinkSync(join(dir, 'other'), join(dir, 'current'));
    expect(await viaLink()).toMatchObject({ code: 0, stdout: 'no problems in 1 file\n' });
  });

  it('does not trust a config stamp as recent as the recording', async () => {
    const config = join(tree, 'ringlint.config.json');
    writeFileSync(config, JSON.stringify({ rules: { RL001: 'off' } }));
    age('.');
    expect((await scan()).code).toBe(0);
    // Rewritten in place within the same clock tick: same size, inode and mtime, other content.
    execFileSync('touch', ['-r', config, join(dir, 'tick')]);
    writeFileSync(config, JSON.stringify({ rules: { RL002: 'off' } }));
    execFileSync('touch', ['-r', join(dir, 'tick'), config]);
    expect((await scan()).code).toBe(1);
  });

  it('does not replay for another colour decision, another analyzer build or a rewritten cache report', async () => {
    await expectReplayed();
    const coloured = await scan([], { FORCE_COLOR: '1' });
    expect(coloured.stdout).toContain('\x1b[');
    await scan(); // records again, uncoloured
    markRecordedOutputs();
    editRecordedOutputs((output) => ({ ...output, analyzer: '0.0.0+another-build' }));
    expect((await scan()).stdout).not.toContain(MARKER);
    markRecordedOutputs();
    const [report] = readdirSync(cacheDir).filter((name) => name.startsWith('scan-') && name.endsWith('.json'));
    writeFileSync(join(cacheDir, report!), '{ not json');
    expect((await scan()).stdout).not.toContain(MARKER);
    expect(() => JSON.parse(readFileSync(join(cacheDir, report!), 'utf8')) as unknown).not.toThrow();
  });

  it('ignores a malformed recorded output and records a good one again', async () => {
    const first = await scan();
    for (const malformed of [{ stdout: 5 }, { stdout: [MARKER], inputs: 'config' }, 'output']) {
      editRecordedOutputs((output) => (typeof malformed === 'string' ? malformed : { ...output, ...malformed }));
      expect(await scan()).toEqual(first);
    }
    expect(markRecordedOutputs()).toBe(1);
    expect((await scan()).stdout).toBe(MARKER);
  });

  it('records nothing for a run that writes a file', async () => {
    const output = join(dir, 'report.txt');
    await scan(['--output', output]);
    expect(markRecordedOutputs()).toBe(0);
    rmSync(output);
    await scan(['--output', output]);
    expect(readFileSync(output, 'utf8')).toContain('a.c');
  });
});
