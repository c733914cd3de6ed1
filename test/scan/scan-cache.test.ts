/**
 * The scan cache through the CLI: a hit on an unchanged tree, a miss for every kind of change, and
 * a corrupt or foreign cache file ignored and rebuilt. A hit is proven without timing: after the
 * first scan the cached report's messages are replaced by a marker, which only a hit can print
 * (a chmod would not do: it changes ctime, which the stamps hold, as git's index does). Stamps are
 * checked by ringscan when it is built, else by Node: both are run.
 */
import { readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KERNEL_EQUALITY_C, makeTempDir, removeTempDir, scanJson, writeTree } from '../cli/cli-harness.js';

const NOBODY = 65534;
const AS_NOBODY = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
const HOUR_AGO = new Date(Date.now() - 3_600_000);

const found = (report: { findings: { file: string; ruleId: string }[] }) => report.findings.map((f) => `${f.file} ${f.ruleId}`);

const CHECKERS = [{ checker: 'ringscan', engine: 'ringscan' }, { checker: 'Node', engine: 'node' }];

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


  const MARKER = 'FROM THE CACHE';
  /** Gives every finding of the cached reports the marker for a message: only a hit can show it. */
  function markCachedReports(): void {
    const cacheDir = join(dir, 'cache', 'ringlint');
    const reports = readdirSync(cacheDir).filter((name) => name.startsWith('scan-') && name.endsWith('.json'));
    expect(reports.length).toBeGreaterThan(0);
    for (const name of reports) {
      const cached = JSON.parse(readFileSync(join(cacheDir, name), 'utf8')) as { report: { findings: Array<{ message: string }> } };
      for (const finding of cached.report.findings) finding.message = MARKER;
      writeFileSync(join(cacheDir, name), JSON.stringify(cached));
    }
  }
  const fromCache = (report: { findings: { message: string }[] }): boolean => report.findings.some((finding) => finding.message === MARKER);

  it('answers an unchanged tree from the cache', async () => {
    expect(found(await scan())).toEqual(['a.c RL001']);
    markCachedReports();
    const again = await scan();
    expect(fromCache(again)).toBe(true);
    expect(found(again)).toEqual(['a.c RL001']);
    // A chmod changes no byte, mtime or size, but ctime: a change, as for git.
    await chmod(join(tree, 'a.c'), 0o000);
    const missed = await scan();
    expect(fromCache(missed)).toBe(false);
    expect(missed.errors.map((error) => error.file)).toEqual(['a.c']);
  });

  it('recognises a file it read by content when only its mtime changed', async () => {
    await scan();
    markCachedReports();
    utimesSync(join(tree, 'a.c'), new Date(), new Date());
    expect(fromCache(await scan())).toBe(true);
    // sub/b.c was never read (it does not name the status word): its stamp alone speaks for it.
    utimesSync(join(tree, 'sub/b.c'), new Date(), new Date());
    const missed = await scan();
    expect(fromCache(missed)).toBe(false);
    expect(found(missed)).toEqual(['a.c RL001']);
  });

  it('recognises by content a file read only in a later round (the caller of a helper) when only its mtime changed', async () => {
    const helper = 'unsigned ring_ready(struct tpacket2_hdr *h) { return h->tp_status != TP_STATUS_KERNEL; }\n';
    const caller = 'extern unsigned ring_ready(void *h);\nvoid take(void *h) {\n\tif (ring_ready(h))\n\t\tconsume(h);\n}\n';
    await writeTree(tree, { 'a.c': helper, 'sub/b.c': caller });
    ageTree();
    expect(found(await scan())).toEqual(['sub/b.c RL001']);
    markCachedReports();
    utimesSync(join(tree, 'sub/b.c'), new Date(), new Date());
    expect(fromCache(await scan())).toBe(true);
    await writeFile(join(tree, 'sub/b.c'), caller.replace('consume(h)', 'consume(g)'));
    expect(fromCache(await scan())).toBe(false);
  });

  it('sees a rewrite that kept the size and set the mtime back (F10: ctime is stamped)', async () => {
    const safe = 'void f(struct tpacket2_hdr *h){ if ((h->tp_status & TP_STATUS_USER) != 0) g(); }\n';
    const unsafe = 'void f(struct tpacket2_hdr *h){ if (h->tp_status != TP_STATUS_KERNEL    ) g(); }\n';
    expect(unsafe.length).toBe(safe.length);
    await writeFile(join(tree, 'a.c'), safe);
    ageTree();
    expect(found(await scan())).toEqual([]);
    // In place (same inode), same size, mtime set back: only ctime tells.
    const handle = await open(join(tree, 'a.c'), 'r+');
    await handle.write(unsafe, 0);
    await handle.close();
    utimesSync(join(tree, 'a.c'), HOUR_AGO, HOUR_AGO);
    expect(found(await scan())).toEqual(['a.c RL001']);
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
    markCachedReports();
    const hit = await scanJson([], { cwd: tree, env, ...AS_NOBODY });
    expect(fromCache(hit.report)).toBe(true);
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
    expect(found(await viaLink([]))).toEqual([]);
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
    markCachedReports();
    writeFileSync(stamps, complete.subarray(0, complete.length - 7));
    expect(fromCache(await scan())).toBe(false);
  });

  it('writes nothing with --no-cache', async () => {
    await scan(['--no-cache']);
    expect(readdirSync(join(dir, 'cache'))).toEqual([]);
  });
});

describe('the scan cache of a TypeScript analysis', { timeout: 60_000 }, () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  /** Rewrites a file in place, keeping its inode and setting its mtime (and its directory's) back: only ctime tells. */
  async function rewriteInPlace(path: string, text: string): Promise<void> {
    const handle = await open(path, 'r+');
    await handle.truncate(0);
    await handle.write(text, 0);
    await handle.close();
    utimesSync(path, HOUR_AGO, HOUR_AGO);
    utimesSync(join(path, '..'), HOUR_AGO, HOUR_AGO);
  }

  it('sees a tsconfig.json rewritten in place and an edited helper outside the scanned root (F10)', async () => {
    const helper = (name: string, body: string) => `export function ${name}(h: { tp_status: number }): number {\n  return ${body};\n}\n`;
    const poll = (name: string, helperName: string) =>
      `export function ${name}(h: { tp_status: number }): boolean {\n  if (${helperName}(h) !== 0) return true;\n  return false;\n}\n`;
    await writeTree(dir, {
      'app/a.ts': `import { statusOf } from '@ring/h';\nimport { otherStatusOf } from '../lib/other.js';\n${poll('poll', 'statusOf')}${poll('pollOther', 'otherStatusOf')}`,
      'lib/seven.ts': helper('statusOf', '7'),
      'lib/real.ts': helper('statusOf', 'h.tp_status'),
      'lib/other.ts': helper('otherStatusOf', '7'),
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@ring/h': ['lib/seven.ts'] } } }),
    });
    for (const path of ['app/a.ts', 'lib/seven.ts', 'lib/real.ts', 'lib/other.ts', 'tsconfig.json', 'app', 'lib', '.']) utimesSync(join(dir, path), HOUR_AGO, HOUR_AGO);
    const env = { XDG_CACHE_HOME: join(dir, '.cache') };
    // The scanned root is app/: the tsconfig and the helpers are outside it.
    const scan = async () => (await scanJson(['app'], { cwd: dir, env })).report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);
    expect(await scan()).toEqual([]);
    await rewriteInPlace(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@ring/h': ['lib/real.ts'] } } }));
    expect(await scan()).toEqual(['app/a.ts:4 RL001']);
    await rewriteInPlace(join(dir, 'lib/other.ts'), helper('otherStatusOf', 'h.tp_status'));
    expect(await scan()).toEqual(['app/a.ts:4 RL001', 'app/a.ts:8 RL001']);
  });

  it('sees a change to a file a tsconfig.json extends, down its chain', async () => {
    const helper = (body: string) => `export function statusOf(h: { tp_status: number }): number {\n  return ${body};\n}\n`;
    // baseUrl is relative to the config that sets it: the repository's root from each.
    const paths = (target: string, baseUrl = '..') => JSON.stringify({ compilerOptions: { baseUrl, paths: { '@ring/h': [target] } } });
    await writeTree(dir, {
      'app/a.ts': `import { statusOf } from '@ring/h';\nexport function poll(h: { tp_status: number }): boolean {\n  if (statusOf(h) !== 0) return true;\n  return false;\n}\n`,
      'app/tsconfig.json': JSON.stringify({ extends: '../configs/middle.json' }),
      'configs/middle.json': JSON.stringify({ extends: './base.json' }),
      'configs/base.json': paths('lib/seven.ts'),
      'lib/seven.ts': helper('7'),
      'lib/real.ts': helper('h.tp_status'),
    });
    for (const path of ['app/a.ts', 'app/tsconfig.json', 'configs/middle.json', 'configs/base.json', 'lib/seven.ts', 'lib/real.ts', 'app', 'configs', 'lib', '.']) {
      utimesSync(join(dir, path), HOUR_AGO, HOUR_AGO);
    }
    const env = { XDG_CACHE_HOME: join(dir, '.cache') };
    const scan = async () => (await scanJson(['app'], { cwd: dir, env })).report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);
    expect(await scan()).toEqual([]);
    // The end of the chain, outside the scanned root and named by no tsconfig.json.
    await rewriteInPlace(join(dir, 'configs/base.json'), paths('lib/real.ts'));
    expect(await scan()).toEqual(['app/a.ts:3 RL001']);
    // A package the chain names, resolved in node_modules: one appearing nearer is the one used.
    await rewriteInPlace(join(dir, 'configs/base.json'), JSON.stringify({ extends: 'ring-config/tsconfig.json' }));
    await writeTree(dir, { 'node_modules/ring-config/tsconfig.json': paths('lib/seven.ts', '../..'), 'node_modules/ring-config/package.json': '{"name": "ring-config"}' });
    // Aged like a tree at rest: a stamp within the racy window would make the next scan miss by
    // itself, however late the scan starts, and hide whether the nearer package below is watched.
    for (const path of ['node_modules/ring-config/tsconfig.json', 'node_modules/ring-config/package.json', 'node_modules/ring-config', 'node_modules', '.']) {
      utimesSync(join(dir, path), HOUR_AGO, HOUR_AGO);
    }
    expect(await scan()).toEqual([]);
    await writeTree(dir, { 'configs/node_modules/ring-config/tsconfig.json': paths('lib/real.ts', '../../..'), 'configs/node_modules/ring-config/package.json': '{"name": "ring-config"}' });
    utimesSync(join(dir, 'configs'), HOUR_AGO, HOUR_AGO);
    expect(await scan()).toEqual(['app/a.ts:3 RL001']);
  });
});
