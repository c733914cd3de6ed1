/**
 * What a scan starts before the CLI has loaded (cli/prestart.ts): the command line read by the same
 * option table commander is built from, and read alike; which command lines start a walk (only those
 * whose walk is certain); that the discovery uses it rather than walking twice; and that a walk
 * nothing uses is stopped, leaving no process and no file behind.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addLintOptions, addOptions } from '../../src/cli/command-options.js';
import { REVIEW_OPTIONS, type LintCliOptions } from '../../src/cli/lint-options.js';
import { certainWalk, readCommandLine, type CommandLineReading } from '../../src/cli/prestart.js';
import { discoverFiles } from '../../src/files/discover.js';
import { PrestartedWalk } from '../../src/native/ringscan.js';
import { DEFAULT_MAX_FILE_SIZE, runScan } from '../../src/scan/run-scan.js';
import { KERNEL_EQUALITY_C, makeTempDir, REPO_ROOT, removeTempDir, runCli, writeTree } from './cli-harness.js';

const BINARY = join(REPO_ROOT, 'dist', 'native', 'ringscan');
/** Built by `npm run build` wherever a C compiler is; CI has one, so there it must run. */
const BUILT = existsSync(BINARY) || process.env.CI !== undefined;

/** What commander makes of a scan or review command line, in the prestart's terms; undefined when it refuses it or shows help. */
function commanderReading(args: readonly string[]): CommandLineReading | undefined {
  let reading: CommandLineReading | undefined;
  const program = new Command().exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  for (const command of ['scan', 'review'] as const) {
    const declared = program.command(command).argument('[paths...]');
    addLintOptions(command === 'review' ? addOptions(declared, REVIEW_OPTIONS) : declared).action((paths: string[], options: LintCliOptions) => {
      reading = { command, paths, maxFileSize: options.maxFileSize, ignore: options.ignore };
    });
  }
  try {
    program.parse(args, { from: 'user' });
  } catch {
    return undefined;
  }
  return reading;
}

describe('the prestart', { timeout: 60_000 }, () => {
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

  it('reads a command line as commander does, and starts nothing for one commander refuses', () => {
    const accepted = [
      ['scan'], ['scan', 'tree'], ['scan', '--format', 'json', '-o', 'out.json', 'tree', 'repo', '--quiet'], ['scan', 'tree', '--max-file-size', '1mb'],
      ['scan', 'tree', '--max-file-size=2k'], ['scan', '--no-ignore', 'repo'], ['scan', '-qo', 'x', 'tree'], ['scan', '--', '-tree'],
      ['scan', '--no-cache', 'a', 'b'], ['scan', '--severity=error', '--max-warnings', '3', '--no-prefilter'], ['scan', '-o=x', '--fix'],
      ['review', '--base', 'main', 'src'], ['review', '--staged', '--no-cache'], ['review', '--max-file-size', '512kb', '--base=HEAD~1'],
    ];
    for (const args of accepted) {
      const reading = readCommandLine(args);
      expect(reading, args.join(' ')).toBeDefined();
      expect(reading, args.join(' ')).toEqual(commanderReading(args));
    }
    expect(readCommandLine(['scan', 'tree', '--max-file-size', '1mb'])).toMatchObject({ paths: ['tree'], maxFileSize: 1024 * 1024 });
    expect(readCommandLine(['scan', '--no-ignore', '--no-cache'])).toMatchObject({ paths: [], maxFileSize: DEFAULT_MAX_FILE_SIZE, ignore: false });
    const refused = [
      ['scan', 'tree', '--help'], ['scan', '-h'], ['scan', '--format'], ['scan', '--format', 'nope'], ['scan', '--max-file-size', 'huge'],
      ['scan', '--max-file-size', '0'], ['scan', '--max-warnings', '-1'], ['scan', '--bogus'], ['scan', '-x'], ['review', '--base'], ['review', '--prefilter'],
    ];
    for (const args of refused) {
      expect(commanderReading(args), args.join(' ')).toBeUndefined();
      expect(readCommandLine(args), args.join(' ')).toBeUndefined();
    }
    for (const args of [['baseline', 'tree'], ['check'], [], ['--version']]) expect(readCommandLine(args)).toBeUndefined();
  });

  it('starts the walk of the first root only when the scan will ask ringscan for it', () => {
    const walk = (...args: string[]) => {
      const reading = readCommandLine(args);
      return reading && certainWalk(reading, dir);
    };
    const real = realpathSync(tree);
    expect(walk('scan', 'tree')).toEqual({ root: real, maxFileSize: DEFAULT_MAX_FILE_SIZE });
    expect(walk('scan', '--format', 'json', '-o', 'out.json', 'tree', 'repo', '--quiet')?.root).toBe(real);
    expect(walk('scan', '-qo', 'x', 'tree', '--max-file-size=2k')).toEqual({ root: real, maxFileSize: 2048 });
    // Ignore files apply in a git work tree, and then Node walks; unless told not to.
    expect(walk('scan', 'repo')).toBeUndefined();
    expect(walk('scan', 'repo', '--no-ignore')?.root).toBe(realpathSync(repo));
    // A file, a missing path, a command line commander refuses, or another command: nothing to walk.
    for (const args of [['scan', 'tree/ring.c'], ['scan', 'missing'], ['scan', 'tree', '--help'], ['review', 'tree', '--no-ignore'], ['baseline', 'tree']]) {
      expect(walk(...args), args.join(' ')).toBeUndefined();
    }
  });

  it.runIf(BUILT)('is used by the discovery that asks for it, and stopped by the scan when another walk is asked for', async () => {
    const log = join(dir, 'invocations.log');
    const wrapper = join(dir, 'ringscan-logged');
    writeFileSync(wrapper, `#!/bin/sh\necho "$@" >> '${log}'\nexec '${BINARY}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    const expected = await discoverFiles(['tree'], dir, { noIgnore: true, ringscan: { binary: BINARY, maxFileSize: DEFAULT_MAX_FILE_SIZE } });

    rmSync(log, { force: true });
    const prestarted = PrestartedWalk.start(wrapper, [realpathSync(tree)], DEFAULT_MAX_FILE_SIZE);
    expect(prestarted).toBeDefined();
    const taken = await discoverFiles(['tree'], dir, { noIgnore: true, ringscan: { binary: wrapper, maxFileSize: DEFAULT_MAX_FILE_SIZE, prestarted } });
    expect(taken.files).toEqual(expected.files);
    expect(taken.searchedNatively.size).toBe(1); // ring.c, found by the walk taken over (not by Node's)
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);
    for (const discovery of [expected, taken]) discovery.native.release();

    // A walk started for another root, by a ringscan that would never end: stopped once the scan is done, not waited for.
    const endless = join(dir, 'ringscan-endless');
    writeFileSync(endless, "#!/bin/sh\ntrap 'exit 0' TERM\nwhile :; do sleep 0.1; done\n");
    chmodSync(endless, 0o755);
    const walk = PrestartedWalk.start(endless, [realpathSync(repo)], DEFAULT_MAX_FILE_SIZE);
    expect(processesRunning(endless)).not.toEqual([]);
    const report = await runScan({ paths: ['tree'], cwd: dir, noIgnore: true, ...(walk ? { prestart: { walk } } : {}) });
    expect(report.findings.map((finding) => finding.file)).toEqual(['tree/ring.c']);
    await expect.poll(() => processesRunning(endless), { timeout: 2000 }).toEqual([]);
    await expect.poll(() => ringscansWalking(tree), { timeout: 2000 }).toEqual([]);
  });

  it.runIf(BUILT)('leaves no ringscan running and no file behind, whether a scan uses the walk or not', async () => {
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

/** Command lines of ringscan processes walking `root`. */
function ringscansWalking(root: string): string[] {
  return processesRunning(realpathSync(root)).filter((line) => line.includes('ringscan') && line.includes(' walk '));
}

function processesRunning(mentioning: string): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(mentioning));
}
