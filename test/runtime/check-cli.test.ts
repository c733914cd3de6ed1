// The `check` command's surface: usage and tool errors, the consumer that never maps a ring,
// the RFC's own IN_PROGRESS encoding, the text report and the link to static findings (--source).
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  consumersBuildDir,
  consumersSourceDir,
  leftoversOf,
  repoRoot,
  runCheckCli,
  runtimeCheckSkipReason,
} from './check-harness.js';

const temporaryDirs: string[] = [];
afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temporaryDirs.push(dir);
  return dir;
}

describe('ringlint check usage', () => {
  it('exits 2 without a consumer command', { timeout: 30_000 }, async () => {
    const run = await runCheckCli(['--json'], { unlocked: true });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/cmd/i);
  });

  it('exits 2 and says how to build it when the native library is missing', { timeout: 30_000 }, async () => {
    // A copy of the package without native-check/build: what a machine without a C compiler gets.
    const root = temporaryDir('ringlint-nonative-');
    cpSync(path.join(repoRoot, 'dist'), path.join(root, 'dist'), { recursive: true });
    cpSync(path.join(repoRoot, 'package.json'), path.join(root, 'package.json'));
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'));
    mkdirSync(path.join(root, 'native-check'));
    const run = await runCheckCli(['--json', '--', 'true'], { cli: path.join(root, 'dist/src/cli/main.js'), unlocked: true });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/not built/);
    expect(run.stderr).toMatch(/npm run build:native/);
  });

  it('exits 2 for a check section whose delay range is upside down', { timeout: 30_000 }, async () => {
    const dir = temporaryDir('ringlint-check-config-');
    writeFileSync(path.join(dir, 'ringlint.config.json'), JSON.stringify({ check: { delayUs: [300, 20] } }));
    const run = await runCheckCli(['--json', '--', 'true'], { cwd: dir, unlocked: true });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('/check/delayUs MAX (20) is below MIN (300)');
  });

  // F26: 99999999999999 ms overflowed Node's timers to 1 ms, and a verdict was printed anyway.
  // Concurrent: each is a CLI start and an argument check, nothing more (once fixed).
  it.concurrent.each([
    ['--stall-ms', '99999999999999'],
    ['--start-timeout', '2147483648'],
    ['--grace', '2147483648'],
    ['--delay-us', '20-99999999999999'],
    ['--packets', '99999999999999'],
    ['--rate', '2147483648'],
    ['--vlan-every', '2147483648'],
    ['--seed', '4294967296'],
    ['--producers', '17'],
  ])('F26: exits 2 for %s %s (out of range), before running anything', { timeout: 30_000 }, async (option, value) => {
    const run = await runCheckCli(['--json', '--start-timeout', '500', option, value, '--', 'true'], { unlocked: true });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/from 0 to \d+/);
    expect(run.stdout).toBe('');
  });

  it('F26: exits 2 for a check section with an out-of-range time, naming it', { timeout: 30_000 }, async () => {
    const dir = temporaryDir('ringlint-check-config-');
    writeFileSync(path.join(dir, 'ringlint.config.json'), JSON.stringify({ check: { startTimeout: 500, stallMs: 99999999999999 } }));
    const run = await runCheckCli(['--json', '--', 'true'], { cwd: dir, unlocked: true });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('/check/stallMs must be an integer from 0 to 2147483647');
    expect(run.stdout).toBe('');
  });
});

const skipReason = runtimeCheckSkipReason();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('ringlint check verdicts beyond the fixtures', () => {
  it('is inconclusive when the consumer never maps a ring', { timeout: 30_000 }, async () => {
    const run = await runCheckCli(['--json', '--start-timeout', '1500', '--', 'sleep', '30']);
    expect(run.exitCode).toBe(3);
    expect(run.report?.verdict).toBe('inconclusive');
    expect(run.report?.reason).toMatch(/^no packet ring was mapped within 1500 ms \(the consumer kept running/);
    expect(run.report?.ring.version).toBe(null);
    if (run.report) expect(leftoversOf(run.report)).toEqual([]);
  });

  it('is inconclusive, exit 3, not crashed, when the consumer fails before mapping a ring; says so with its last output', { timeout: 30_000 }, async () => {
    // The kernel refuses the fixture's ring request (EINVAL) and it exits 10 at once: its set-up
    // failed, its ownership test never ran. A crash verdict (exit 1) would read as an ownership bug.
    const run = await runCheckCli(['--json', '--', path.join(consumersBuildDir, 'fails-before-mapping'), '{iface}', '{out}']);
    expect(run.exitCode).toBe(3);
    expect(run.report?.verdict).toBe('inconclusive');
    expect(run.report?.reason).toMatch(/^the consumer failed before mapping a ring \(exit code 10 after \d+ ms\); last output: PACKET_RX_RING: Invalid argument$/);
    // It ended after a few ms; it is not told it had the whole start timeout.
    expect(run.report?.reason).not.toMatch(/10000 ms|within/);
    expect(run.report?.consumer).toMatchObject({ exitCode: 10, exitedBeforeStop: true });
    expect(run.report?.traffic.sent).toBe(0);
    if (run.report) expect(leftoversOf(run.report)).toEqual([]);
  });

  it('takes option defaults from the config\'s check section; the command line wins', { timeout: 30_000 }, async () => {
    const dir = temporaryDir('ringlint-check-config-');
    writeFileSync(
      path.join(dir, 'ringlint.config.json'),
      JSON.stringify({ check: { startTimeout: 1500, seed: 42, inProgress: 'losing', producers: 2, delayUs: [30, 40] } }),
    );
    const run = await runCheckCli(['--json', '--seed', '7', '--', 'sleep', '30'], { cwd: dir });
    expect(run.exitCode).toBe(3);
    expect(run.report?.emulator).toMatchObject({ seed: 7, inProgressMode: 'losing', producers: 2, delayUs: [30, 40] });
    expect(run.report?.traffic.seed).toBe(7);
  });

  it('finds the same break with the RFC\'s own encoding (TP_STATUS_LOSING as IN_PROGRESS)', { timeout: 60_000 }, async () => {
    const run = await runCheckCli([
      '--json',
      '--in-progress',
      'losing',
      '--',
      path.join(consumersBuildDir, 'poll-kernel-inequality'),
      '{iface}',
      '{out}',
    ]);
    expect(run.report?.verdict).toBe('breaks');
    expect(run.report?.counters.violations).toBeGreaterThan(0);
    expect(run.exitCode).toBe(1);
  });

  it('--source links a breaks verdict to the RL001 finding it confirms (text report)', { timeout: 90_000 }, async () => {
    // The consumer's source tree: only scanned, never built or run by the check.
    const source = temporaryDir('ringlint-source-');
    for (const file of ['poll-kernel-inequality.c', 'consumer-common.h'])
      cpSync(path.join(consumersSourceDir, file), path.join(source, file));
    const run = await runCheckCli([
      '--source',
      source,
      '--',
      path.join(consumersBuildDir, 'poll-kernel-inequality'),
      '{iface}',
      '{out}',
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^verdict: breaks/m);
    expect(run.stdout).toMatch(/^static: RL001 .*poll-kernel-inequality\.c|^static: RL001 .*consumer-common\.h/m);
    expect(run.stdout).toMatch(/^static: the runtime verdict \(breaks\) confirms \d+ static finding/m);
  });

  it('--source with a safe consumer confirms nothing (JSON report)', { timeout: 90_000 }, async () => {
    const source = temporaryDir('ringlint-source-');
    for (const file of ['poll-user-bit.c', 'consumer-common.h']) cpSync(path.join(consumersSourceDir, file), path.join(source, file));
    const run = await runCheckCli([
      '--json',
      '--source',
      source,
      '--',
      path.join(consumersBuildDir, 'poll-user-bit'),
      '{iface}',
      '{out}',
    ]);
    expect(run.report?.verdict).toBe('safe');
    const linked = run.report?.staticFindings;
    expect(linked).toBeDefined();
    expect(linked?.findings.filter((finding) => finding.runtime === 'confirmed')).toEqual([]);
  });
});
