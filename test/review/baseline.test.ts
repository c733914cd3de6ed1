/** Baselines through the CLI: fingerprints survive unrelated edits, stale entries are reported beside the findings. */
import { chmod, chown, lstat, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir, runCli, scanJson, writeTree } from '../cli/cli-harness.js';
import { isolatedCache } from './git-harness.js';

const NOBODY = 65534;
const RUNNING_AS_ROOT = process.getuid?.() === 0;

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

  it('says where a baseline that is not JSON goes wrong, without quoting it (F20)', async () => {
    // A config may name any file as its baseline; JSON.parse's message quoted its first bytes.
    await writeTree(dir, { 'shadow': 'root:*:20250:0:99999:7:::\n', 'cfg/ringlint.config.json': '{"baseline": "../shadow"}', 'trailing.json': '{"version": 1,\n "entries": [],\n}' });
    const viaConfig = await runCli(['scan', '--config', 'cfg/ringlint.config.json', 'src'], { cwd: dir, env: isolatedCache(dir) });
    expect(viaConfig.code).toBe(2);
    expect(viaConfig.stderr).toBe(`ringlint: cannot read baseline ${join(dir, 'shadow')}: not JSON (1:1: syntax error: invalid symbol)\n`);
    const viaOption = await runCli(['scan', '--baseline', 'trailing.json', 'src'], { cwd: dir, env: isolatedCache(dir) });
    expect(viaOption.code).toBe(2);
    expect(viaOption.stderr).toBe(`ringlint: cannot read baseline ${join(dir, 'trailing.json')}: not JSON (3:1: syntax error: property name expected)\n`);
  });
});

/** F3: `ringlint baseline` writes inside the configured tree, and through no symbolic link. */
describe('where baselines are written', { timeout: 30_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  async function repo(name: string, files: Record<string, string> = {}): Promise<string> {
    const root = join(dir, name);
    await writeTree(root, { 'repo/a.c': consumer('first'), 'victim': 'KEEP\n', ...files });
    return join(root, 'repo');
  }

  it('refuses a config-named baseline outside the config file’s directory', async () => {
    const root = await repo('config-outside', { 'repo/ringlint.config.json': '{"baseline": "../victim"}' });
    const run = await runCli(['baseline'], { cwd: root, env: isolatedCache(dir) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ringlint: the baseline "\.\.\/victim" named in .*\/repo\/ringlint\.config\.json is outside that file's directory; not written\n$/);
    expect(await readFile(join(root, '../victim'), 'utf8')).toBe('KEEP\n');
  });

  it('refuses a config-named baseline reached through a symbolic link to a directory outside', async () => {
    const root = await repo('config-linked-dir', { 'repo/ringlint.config.json': '{"baseline": "ci/base.json"}', 'elsewhere/.keep': '' });
    await symlink('../elsewhere', join(root, 'ci'));
    const run = await runCli(['baseline'], { cwd: root, env: isolatedCache(dir) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is outside that file\'s directory (through a symbolic link); not written');
    expect(await readdir(join(root, '../elsewhere'))).toEqual(['.keep']);
  });

  it('does not write through a committed ringlint-baseline.json symlink', async () => {
    const root = await repo('linked-default');
    await symlink('../victim', join(root, 'ringlint-baseline.json'));
    const run = await runCli(['baseline'], { cwd: root, env: isolatedCache(dir) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ringlint: not writing the baseline .*\/repo\/ringlint-baseline\.json: it is a symbolic link\n$/);
    expect(await readFile(join(root, '../victim'), 'utf8')).toBe('KEEP\n');
    expect((await lstat(join(root, 'ringlint-baseline.json'))).isSymbolicLink()).toBe(true);
  });

  it('writes a config-named baseline inside the tree, keeping the mode of the one it replaces', async () => {
    const root = await repo('config-inside', { 'repo/ringlint.config.json': '{"baseline": "ci/base.json"}', 'repo/ci/base.json': '{}\n' });
    await chmod(join(root, 'ci/base.json'), 0o640);
    // Root replacing another user's file must give the new one back to that user.
    const owner = RUNNING_AS_ROOT ? NOBODY : (await stat(join(root, 'ci/base.json'))).uid;
    if (RUNNING_AS_ROOT) await chown(join(root, 'ci/base.json'), NOBODY, NOBODY);
    const run = await runCli(['baseline'], { cwd: root, env: isolatedCache(dir) });
    expect(run.code, run.stderr).toBe(0);
    const written = JSON.parse(await readFile(join(root, 'ci/base.json'), 'utf8')) as { entries: unknown[] };
    expect(written.entries).toHaveLength(1);
    const after = await stat(join(root, 'ci/base.json'));
    expect({ mode: after.mode & 0o777, uid: after.uid }).toEqual({ mode: 0o640, uid: owner });
    expect((await readdir(join(root, 'ci'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
