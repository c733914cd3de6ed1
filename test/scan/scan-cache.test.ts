/**
 * The scan cache through the CLI: a hit on an unchanged tree, a miss for every kind of change, and
 * a corrupt or foreign cache file ignored and rebuilt. A hit is proven without timing: after the
 * first scan a file becomes unreadable (chmod keeps its mtime), and only a cached report can still
 * hold its finding. Stamps are checked by ringscan when it is built, else by Node: both are run.
 */
import { readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KERNEL_EQUALITY_C, makeTempDir, removeTempDir, scanJson, writeTree } from '../cli/cli-harness.js';

const NOBODY = 65534;
const AS_NOBODY = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
const HOUR_AGO = new Date(Date.now() - 3_600_000);

const CHECKERS = [{ checker: 'ringscan', engine: 'ringscan' }, { checker: 'Node', engine: 'workers' }];

describe.each(CHECKERS)('the scan cache (stamps checked by $checker)', { timeout: 60_000 }, ({ engine }) => {
  let dir: string;
  let tree: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = await makeTempDir();
    tree = join(dir, 'tree');
    env = { XDG_CACHE_HOME: join(dir, 'cache'), RINGLINT_PREFILTER: engine };
    await mkdir(join(dir, 'cache'), { mode: 0o777 });
    await chmod(join(dir, 'cache'), 0o777);
    await writeTree(tree, { 'a.c': KERNEL_EQUALITY_C, 'sub/b.c': 'int b(void) { return 0; }\n' });
    ageTree();
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  /** Stamps older than the racy window, as a tree at rest has. */
  function ageTree(): void {
    for (const path of ['a.c', 'sub/b.c', 'sub', '.']) utimesSync(join(tree, path), HOUR_AGO, HOUR_AGO);
  }

  const scan = async (args: string[] = []) => (await scanJson(args, { cwd: tree, env, ...AS_NOBODY })).report;
  const found = (report: { findings: { file: string; ruleId: string }[] }) => report.findings.map((f) => `${f.file} ${f.ruleId}`);

  it('answers an unchanged tree from the cache', async () => {
    expect(found(await scan())).toEqual(['a.c RL001']);
    await chmod(join(tree, 'a.c'), 0o000);
    const again = await scan();
    expect(found(again)).toEqual(['a.c RL001']);
    expect(again.errors).toEqual([]);
    // Without the cache the same tree reports the unreadable file instead.
    const fresh = await scan(['--no-cache']);
    expect(found(fresh)).toEqual([]);
    expect(fresh.errors.map((error) => error.file)).toEqual(['a.c']);
  });

  it('recognises a file it read by content when only its mtime changed', async () => {
    await scan();
    utimesSync(join(tree, 'a.c'), new Date(), new Date());
    // sub/b.c keeps its stamp: only a cache hit leaves it unread and unreported.
    await chmod(join(tree, 'sub/b.c'), 0o000);
    const again = await scan();
    expect(found(again)).toEqual(['a.c RL001']);
    expect(again.errors).toEqual([]);
    utimesSync(join(tree, 'sub/b.c'), new Date(), new Date());
    const missed = await scan();
    expect(missed.errors.map((error) => error.file)).toEqual(['sub/b.c']);
  });

  it('reports the same suppression problems from the cache as without it', async () => {
    // A file without findings that the scan reads (it names the status word): only its own text shows the suppression.
    await writeFile(
      join(tree, 'sub/b.c'),
      'int b(struct tpacket2_hdr *h) {\n\t// ringlint-disable-next-line RL001 -- checked\n\treturn h->tp_status & TP_STATUS_USER;\n}\n',
    );
    await writeFile(join(tree, 'sub/c.c'), 'int c(void) { return 0; }\n');
    ageTree();
    utimesSync(join(tree, 'sub/c.c'), HOUR_AGO, HOUR_AGO);
    const fresh = await scanJson([], { cwd: tree, env, ...AS_NOBODY });
    expect(fresh.run.stderr).toContain('unused suppression');
    await chmod(join(tree, 'sub/c.c'), 0o000);
    // Another command line for the same scan: answered by the cache, not by replaying the first run's output.
    const hit = await scanJson(['--severity', 'warning'], { cwd: tree, env, ...AS_NOBODY });
    expect(hit.report.errors).toEqual([]);
    expect(hit.run.stderr).toBe(fresh.run.stderr);
  });

  it('does not answer for a root that is a symbolic link pointing elsewhere now', async () => {
    await writeTree(join(dir, 'other'), { 'clean.c': 'int c(void) { return 0; }\n' });
    for (const path of ['other/clean.c', 'other']) utimesSync(join(dir, path), HOUR_AGO, HOUR_AGO);
    symlinkSync(tree, join(dir, 'current'));
    const viaLink = async (args: string[]) => (await scanJson(['current', ...args], { cwd: dir, env, ...AS_NOBODY })).report;
    expect(found(await viaLink([]))).toEqual(['current/a.c RL001']);
    rmSync(join(dir, 'current'));
    symlinkSync(join(dir, 'other'), join(dir, 'current'));
    // Another command line for the same scan: the cache's answer, not a replay of the first run's output.
    expect(found(await viaLink(['--severity', 'warning']))).toEqual([]);
  });

  it('sees a changed file, a new file and a removed file', async () => {
    await scan();
    await writeFile(join(tree, 'sub/b.c'), KERNEL_EQUALITY_C.replace('int f', 'int g'));
    expect(found(await scan())).toEqual(['a.c RL001', 'sub/b.c RL001']);
    await writeFile(join(tree, 'sub/c.c'), KERNEL_EQUALITY_C);
    expect(found(await scan())).toEqual(['a.c RL001', 'sub/b.c RL001', 'sub/c.c RL001']);
    await writeFile(join(tree, 'a.c'), 'int a(void) { return 1; }\n');
    expect(found(await scan())).toEqual(['sub/b.c RL001', 'sub/c.c RL001']);
  });

  it('ignores a corrupt or foreign cache file and rebuilds it', async () => {
    await scan();
    const cacheDir = join(dir, 'cache', 'ringlint');
    const [file] = readdirSync(cacheDir).filter((name) => name.startsWith('scan-') && name.endsWith('.json'));
    expect(file).toBeDefined();
    writeFileSync(join(cacheDir, file!), '{ not json');
    expect(found(await scan())).toEqual(['a.c RL001']);
    expect(() => JSON.parse(readFileSync(join(cacheDir, file!), 'utf8')) as unknown).not.toThrow();
    writeFileSync(join(cacheDir, file!), JSON.stringify({ format: 999, report: { findings: [] } }));
    expect(found(await scan())).toEqual(['a.c RL001']);
    // A stamps file cut short, or one from another run, does not vouch for the report.
    const stamps = join(cacheDir, file!.replace(/\.json$/, '.stamps'));
    const complete = readFileSync(stamps);
    writeFileSync(stamps, complete.subarray(0, complete.length - 7));
    await chmod(join(tree, 'a.c'), 0o000);
    expect((await scan()).errors.map((error) => error.file)).toEqual(['a.c']);
  });

  it('writes nothing with --no-cache', async () => {
    await scan(['--no-cache']);
    expect(readdirSync(join(dir, 'cache'))).toEqual([]);
  });
});
