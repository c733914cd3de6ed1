/**
 * The walk a scan starts before the CLI has loaded: which command lines start one (only those whose
 * walk is certain), that the discovery takes it over rather than walking twice, and that a walk
 * nothing takes over is stopped, leaving no process and no file behind.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { earlyWalkFor, SCAN_FLAG_OPTIONS, SCAN_VALUE_OPTIONS } from '../../src/cli/early-walk.js';
import { registerScanCommand } from '../../src/cli/scan-command.js';
import { discoverFiles } from '../../src/files/discover.js';
import { prestartWalk } from '../../src/native/ringscan.js';
import { DEFAULT_MAX_FILE_SIZE } from '../../src/scan/run-scan.js';
import { KERNEL_EQUALITY_C, makeTempDir, REPO_ROOT, removeTempDir, runCli, writeTree } from './cli-harness.js';

const BINARY = join(REPO_ROOT, 'dist', 'native', 'ringscan');
/** Built by `npm run build` wherever a C compiler is; CI has one, so there it must run. */
const BUILT = existsSync(BINARY) || process.env.CI !== undefined;

describe('the early walk', { timeout: 60_000 }, () => {
  let dir: string;
  let tree: string;
  let repo: string;

  beforeAll(async () => {
    dir = await makeTempDir();
    tree = join(dir, 'tree');
    repo = join(dir, 'repo');
    await writeTree(tree, { 'ring.c': KERNEL_EQUALITY_C, 'notes.md': '# notes\n' });
    await writeTree(repo, { 'ring.c': KERNEL_EQUALITY_C });
    mkdirSync(join(repo, '.git'));
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('declares the options of scan as the command line does', () => {
    const scan = registerScanCommandInto(new Command());
    const names = (takesValue: boolean): string[] =>
      scan.options.filter((option) => (option.required || option.optional) === takesValue).flatMap((option) => [option.long, option.short].filter((name): name is string => name !== undefined));
    expect(new Set(names(true))).toEqual(SCAN_VALUE_OPTIONS);
    expect(new Set(names(false))).toEqual(SCAN_FLAG_OPTIONS);
  });

  it('is the walk the scan asks for first, when its command line says which', () => {
    const walk = (...args: string[]) => earlyWalkFor(args, dir);
    const real = realpathSync(tree);
    expect(walk('scan', 'tree')).toEqual({ root: real, maxFileSize: DEFAULT_MAX_FILE_SIZE });
    expect(walk('scan', '--format', 'json', '-o', 'out.json', 'tree', 'repo', '--quiet')?.root).toBe(real);
    expect(walk('scan', 'tree', '--max-file-size', '1mb')?.maxFileSize).toBe(1024 * 1024);
    expect(walk('scan', 'tree', '--max-file-size=2k')?.maxFileSize).toBe(2048);
    // Ignore files apply in a git work tree, and then Node walks; unless told not to.
    expect(walk('scan', 'repo')).toBeUndefined();
    expect(walk('scan', 'repo', '--no-ignore')?.root).toBe(realpathSync(repo));
    // Anything else: the scan walks as usual.
    for (const args of [
      ['scan', 'tree', '--help'], ['scan', 'tree', '-qo', 'x'], ['scan', '--', 'tree'], ['scan', 'tree', '--max-file-size', 'huge'],
      ['scan', 'tree', '--format'], ['scan', 'tree/ring.c'], ['scan', 'missing'], ['review'], ['baseline', 'tree'],
    ]) {
      expect(earlyWalkFor(args, dir), args.join(' ')).toBeUndefined();
    }
  });

  it.runIf(BUILT)('is taken over by the discovery that asks for it, and stopped when another walk is asked for', async () => {
    const log = join(dir, 'invocations.log');
    const wrapper = join(dir, 'ringscan-logged');
    writeFileSync(wrapper, `#!/bin/sh\necho "$@" >> '${log}'\nexec '${BINARY}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    const ringscan = { binary: wrapper, maxFileSize: DEFAULT_MAX_FILE_SIZE };
    const expected = await discoverFiles(['tree'], dir, { noIgnore: true, ringscan: { binary: BINARY, maxFileSize: DEFAULT_MAX_FILE_SIZE } });

    rmSync(log, { force: true });
    prestartWalk(wrapper, [realpathSync(tree)], DEFAULT_MAX_FILE_SIZE);
    const taken = await discoverFiles(['tree'], dir, { noIgnore: true, ringscan });
    expect(taken.files).toEqual(expected.files);
    expect(taken.searchedNatively.size).toBe(1); // ring.c, found by the walk taken over (not by Node's)
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);

    // A walk started for another root, by a ringscan that would never end: stopped, not waited for.
    const endless = join(dir, 'ringscan-endless');
    writeFileSync(endless, "#!/bin/sh\ntrap 'exit 0' TERM\nwhile :; do sleep 0.1; done\n");
    chmodSync(endless, 0o755);
    prestartWalk(endless, [realpathSync(repo)], DEFAULT_MAX_FILE_SIZE);
    const other = await discoverFiles(['tree'], dir, { noIgnore: true, ringscan });
    expect(other.files).toEqual(expected.files);
    await expect.poll(() => processesRunning(endless), { timeout: 2000 }).toEqual([]);
    // Their stamps unasked for, the walks end once released.
    for (const discovery of [expected, taken, other]) discovery.native.release();
    await expect.poll(() => ringscansWalking(tree), { timeout: 2000 }).toEqual([]);
  });

  it.runIf(BUILT)('leaves no ringscan running and no file behind, whether a scan takes it over or not', async () => {
    const scratch = join(dir, 'tmp');
    mkdirSync(scratch);
    const env = { TMPDIR: scratch, XDG_CACHE_HOME: join(dir, 'cache') };
    const taken = await runCli(['scan', 'tree', '--no-cache', '--format', 'json'], { cwd: dir, env });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe(''); // no "ringscan walk failed": the walk taken over succeeded
    const refused = await runCli(['scan', 'tree', '--format', 'nope'], { cwd: dir, env });
    expect(refused.code).toBe(2);
    // A cache that answers without the hint the early stamp check follows: the walk was not needed.
    expect((await runCli(['scan', 'tree'], { cwd: dir, env })).code).toBe(1);
    for (const hint of readdirSync(join(dir, 'cache', 'ringlint')).filter((name) => name.startsWith('hint-'))) rmSync(join(dir, 'cache', 'ringlint', hint));
    const cached = await runCli(['scan', 'tree', '--format', 'json'], { cwd: dir, env });
    expect(cached.stdout).toBe(taken.stdout.replace(/"elapsedMs": \d+/, `"elapsedMs": ${/"elapsedMs": (\d+)/.exec(cached.stdout)?.[1]}`));
    await expect.poll(() => ringscansWalking(tree), { timeout: 2000 }).toEqual([]);
    expect(readdirSync(scratch)).toEqual([]);
  });
});

function registerScanCommandInto(program: Command): Command {
  registerScanCommand(program);
  return program.commands.find((command) => command.name() === 'scan')!; // just registered
}

/** Command lines of ringscan processes walking `root`. */
function ringscansWalking(root: string): string[] {
  return processesRunning(realpathSync(root)).filter((line) => line.includes('ringscan') && line.includes(' walk '));
}

function processesRunning(mentioning: string): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(mentioning));
}
