// The runtime check as a sandbox: the findings of the reliability sweep (issue 15) that concern it,
// named Fn, each reproduced as the sweep did it, and the behaviour it asked for. Host-network cases run inside `unshare -n`, which stands in for the
// host; the local attacker is user nobody (setpriv). Every run has a deadline, so a regression
// shows as a failure and never as a hung suite.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readableInstall } from '../package/readable-install.js';
import {
  consumersBuildDir,
  isAlive,
  isRoot,
  leftoversOf,
  runCheckCli,
  runtimeCheckSkipReason,
  type CheckRun,
} from './check-harness.js';

const pollUserBit = path.join(consumersBuildDir, 'poll-user-bit');
/** A shorter run (300 frames, not 3 000): these tests are about what surrounds the verdict. */
const QUICK = ['--packets', '300'];
const AS_NOBODY = ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'];

const temporaryDirs: string[] = [];
afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

/** A directory like /tmp: everyone may create entries, only owners may remove them. */
function sharedTmp(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ringlint-containment-'));
  chmodSync(dir, 0o1777);
  temporaryDirs.push(dir);
  return dir;
}

/** A consumer wrapper: `body` (sh) runs first, then the safe fixture consumer takes over. */
function wrapperConsumer(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\nexec ${pollUserBit} "$1" "$2"\n`);
  chmodSync(file, 0o755);
  return file;
}

/** Runs `script` (sh) as user nobody in the background until the returned stop is called. */
function attackerAsNobody(script: string): { stop: () => Promise<string> } {
  const attacker = spawn(AS_NOBODY[0] ?? 'setpriv', [...AS_NOBODY.slice(1), 'sh', '-c', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  attacker.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ended = new Promise<void>((resolve) => attacker.on('close', () => resolve()));
  return {
    stop: async () => {
      attacker.kill('SIGKILL');
      await ended;
      return output;
    },
  };
}

function expectCleanVerdict(run: CheckRun, verdict: string): void {
  expect(run.timedOut, `the check was still running at its deadline\n${run.stderr}`).toBe(false);
  expect(run.report, run.stderr).not.toBe(null);
  expect(run.report?.verdict, run.report?.reason).toBe(verdict);
  if (run.report) expect(leftoversOf(run.report)).toEqual([]);
}

/** Processes whose command line contains `marker`. */
function processesWith(marker: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker) && isAlive(pid);
      } catch {
        return false;
      }
    });
}

const skipReason = runtimeCheckSkipReason() ?? (isRoot() ? null : 'containment tests need root (they attack a root check as user nobody)');
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('ringlint check contains its consumer and trusts nothing it shares', () => {
  it('F1, F2: another user can plant neither a symlink (to make a root check write through it) nor a FIFO (to hang it)', { timeout: 40_000 }, async () => {
    const tmp = sharedTmp();
    const victim = path.join(tmp, 'victim');
    writeFileSync(victim, 'ORIG\n', { mode: 0o600 });
    // The sweep's attack, both ways: poll for the emulator's directory and plant in it.
    const attacker = attackerAsNobody(
      `while :; do for d in ${tmp}/ringlint-check-*/emulator; do [ -d "$d" ] && ` +
        `{ ln -s ${victim} "$d/request" && echo "link planted in $d"; mkfifo "$d/report-1.json" && echo "FIFO planted in $d"; } 2>/dev/null; ` +
        'done; sleep 0.005; done',
    );
    const run = await runCheckCli(['--json', ...QUICK, '--', pollUserBit, '{iface}', '{out}'], { env: { ...process.env, TMPDIR: tmp }, deadlineMs: 30_000 });
    const planted = await attacker.stop();
    expect(planted).toBe('');
    expect(readFileSync(victim, 'utf8')).toBe('ORIG\n');
    expectCleanVerdict(run, 'safe');
  });

  it('F1, F2 from the inside: links, FIFOs and oversized files among the reports are never followed, waited on or read', { timeout: 40_000 }, async () => {
    const tmp = sharedTmp();
    const victim = path.join(tmp, 'victim');
    writeFileSync(victim, 'ORIG\n', { mode: 0o600 });
    // The consumer can reach the emulator's directory (it must write its reports there).
    const consumer = wrapperConsumer(
      tmp,
      'plants.sh',
      [
        `ln -s ${victim} "$RINGEMU_DIR/request"`,
        'mkfifo "$RINGEMU_DIR/report-99999.json"',
        'ln -s /dev/zero "$RINGEMU_DIR/report-99998.json"',
        'head -c 3000000 /dev/zero | tr "\\0" " " > "$RINGEMU_DIR/report-99997.json"',
      ].join('\n'),
    );
    const run = await runCheckCli(['--json', ...QUICK, '--', consumer, '{iface}', '{out}'], { deadlineMs: 30_000 });
    expect(readFileSync(victim, 'utf8')).toBe('ORIG\n');
    expectCleanVerdict(run, 'safe');
  });

  it('F6, F15: the caller\'s network namespace is left as it was: IPv6 on, even with RINGLINT_CHECK_IN_USER_NAMESPACE=1, and links named like ringlint\'s kept', { timeout: 40_000 }, async () => {
    const tmp = sharedTmp();
    const result = path.join(tmp, 'result.json');
    // `unshare -n` stands in for the host: h0 is a host interface with IPv6 on, rl99999x0a/b are
    // host links whose names merely look like the ones ringlint once made.
    const script =
      'ip link add h0 type veth peer name h1 && ip link add rl99999x0a type veth peer name rl99999x0b && "$@" > "$RESULT"; ' +
      'cat /proc/sys/net/ipv6/conf/all/disable_ipv6 /proc/sys/net/ipv6/conf/h0/disable_ipv6 > "$AFTER/ipv6"; ip -o link > "$AFTER/links"';
    const run = await runCheckCli(['--json', ...QUICK, '--', pollUserBit, '{iface}', '{out}'], {
      prefix: ['unshare', '-n', 'sh', '-c', script, 'sh'],
      env: { ...process.env, RINGLINT_CHECK_IN_USER_NAMESPACE: '1', AFTER: tmp, RESULT: result },
      deadlineMs: 30_000,
    });
    expect(run.timedOut).toBe(false);
    expect(readFileSync(path.join(tmp, 'ipv6'), 'utf8')).toBe('0\n0\n');
    const links = readFileSync(path.join(tmp, 'links'), 'utf8');
    expect(links).toMatch(/^\d+: rl99999x0a@rl99999x0b:/m);
    expect(links).toMatch(/^\d+: rl99999x0b@rl99999x0a:/m);
    const report = JSON.parse(readFileSync(result, 'utf8')) as { verdict: string; sandbox: { mode: string }; staleLeftoversRemoved: string[] };
    expect(report.verdict).toBe('safe');
    expect(report.sandbox.mode).toBe('netns');
    expect(report.staleLeftoversRemoved).toEqual([]);
  });

  it('F14: a consumer\'s child that calls setsid and unshare -n dies with the check', { timeout: 40_000 }, async () => {
    const tmp = sharedTmp();
    const marker = `603.${process.pid}${Date.now() % 1000}`;
    const consumer = wrapperConsumer(tmp, 'escapes.sh', `setsid unshare -n sleep ${marker} </dev/null >/dev/null 2>&1 &`);
    try {
      const run = await runCheckCli(['--json', ...QUICK, '--', consumer, '{iface}', '{out}'], { deadlineMs: 30_000 });
      expectCleanVerdict(run, 'safe');
      expect(processesWith(`sleep\0${marker}`)).toEqual([]);
    } finally {
      for (const pid of processesWith(`sleep\0${marker}`)) process.kill(pid, 'SIGKILL');
    }
  });

  it('F19: a sparse 1 TB file in {out} is searched through its data only', { timeout: 40_000 }, async () => {
    const tmp = sharedTmp();
    // Without SEEK_DATA this is a read of 1 TB of zeros (the sweep measured 62 s for 20 GB).
    const consumer = wrapperConsumer(tmp, 'sparse.sh', 'truncate -s 1T "$2/sparse"');
    const run = await runCheckCli(['--json', ...QUICK, '--', consumer, '{iface}', '{out}'], { deadlineMs: 30_000 });
    expectCleanVerdict(run, 'safe');
    expect(run.report?.poisonScan.filesScanned).toBeGreaterThanOrEqual(3); // frames.raw, consumer.json and the sparse file
    expect(run.report?.poisonScan.bytesScanned).toBeLessThan(64 * 1024 * 1024);
    expect(run.report?.poisonScan.truncated).toBe(false);
  });

  it('F25: a full disk under the emulator\'s reports is a tool error naming ENOSPC, not "never mapped"', { timeout: 40_000 }, async () => {
    const tmp = sharedTmp();
    const consumer = wrapperConsumer(tmp, 'fills.sh', 'dd if=/dev/zero of="$2/f" bs=1M 2>/dev/null');
    // A small tmpfs as TMPDIR, mounted in a private mount namespace so nothing is left mounted.
    const small = path.join(tmp, 'small');
    const script = `mkdir ${small} && mount -t tmpfs -o size=8m ringlint-f25 ${small} && TMPDIR=${small} exec "$@"`;
    const run = await runCheckCli(['--json', ...QUICK, '--', consumer, '{iface}', '{out}'], {
      prefix: ['unshare', '-m', 'sh', '-c', script, 'sh'],
      deadlineMs: 30_000,
    });
    expect(run.timedOut).toBe(false);
    expect(run.exitCode, run.stdout.slice(0, 400)).toBe(2);
    expect(run.stderr).toMatch(/ENOSPC/);
  });
});

describe.skipIf(skipReason !== null)('ringlint check as an unprivileged user (user namespaces)', () => {
  const asNobody = (...argv: string[]) => spawnSync(AS_NOBODY[0] ?? 'setpriv', [...AS_NOBODY.slice(1), ...argv], { cwd: '/' }).status === 0;
  // A fact of the machine, not of ringlint. Nobody runs a copy of the build it can read, wherever the clone is.
  const unavailable = asNobody('unshare', '--user', '--map-root-user', '--net', 'true') ? null : 'unprivileged user namespaces are unavailable here';
  if (unavailable) console.warn(`${unavailable}: the unprivileged check is not exercised`);

  it.skipIf(unavailable !== null)('reaches the fixtures\' verdicts in a user namespace of its own', { timeout: 60_000 }, async () => {
    const install = await readableInstall();
    for (const [name, verdict] of [
      ['poll-user-bit', 'safe'],
      ['poll-kernel-inequality', 'breaks'],
    ] as const) {
      const run = await runCheckCli(['--json', ...QUICK, '--', path.join(install, 'native-check', 'build', 'consumers', name), '{iface}', '{out}'], {
        prefix: AS_NOBODY,
        cli: path.join(install, 'dist', 'src', 'cli', 'main.js'),
        cwd: '/',
        env: { ...process.env, TMPDIR: '/tmp' },
        unlocked: true,
        deadlineMs: 30_000,
      });
      expectCleanVerdict(run, verdict);
      expect(run.report?.sandbox.mode).toBe('user-namespace');
    }
  });
});
