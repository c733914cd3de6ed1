// The runtime check as a sandbox: the findings of the reliability sweep that concern it (Fn in
// ../shared/reliability-findings.md), each reproduced as the sweep did it, and the behaviour its
// "Test:" line asks for. Host-network cases run inside `unshare -n`, which stands in for the
// host; the local attacker is user nobody (setpriv). Every run has a deadline, so a regression
// shows as a failure and never as a hung suite.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { consumersBuildDir, isRoot, leftoversOf, runCheckCli, runtimeCheckSkipReason, type CheckRun } from './check-harness.js';

const pollUserBit = path.join(consumersBuildDir, 'poll-user-bit');

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

function expectCleanVerdict(run: CheckRun, verdict: string): void {
  expect(run.timedOut, `the check was still running at its deadline\n${run.stderr}`).toBe(false);
  expect(run.report, run.stderr).not.toBe(null);
  expect(run.report?.verdict, run.report?.reason).toBe(verdict);
  if (run.report) expect(leftoversOf(run.report)).toEqual([]);
}

const skipReason = runtimeCheckSkipReason() ?? (isRoot() ? null : 'containment tests need root (they attack a root check as user nobody)');
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('ringlint check contains its consumer and trusts nothing it shares', () => {
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
    const run = await runCheckCli(['--json', '--', consumer, '{iface}', '{out}'], { deadlineMs: 30_000 });
    expect(readFileSync(victim, 'utf8')).toBe('ORIG\n');
    expectCleanVerdict(run, 'safe');
  });

  it('F19: a sparse 1 TB file in {out} is searched through its data only', { timeout: 40_000 }, async () => {
    const tmp = sharedTmp();
    // Without SEEK_DATA this is a read of 1 TB of zeros (the sweep measured 62 s for 20 GB).
    const consumer = wrapperConsumer(tmp, 'sparse.sh', 'truncate -s 1T "$2/sparse"');
    const run = await runCheckCli(['--json', '--', consumer, '{iface}', '{out}'], { deadlineMs: 30_000 });
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
    const run = await runCheckCli(['--json', '--', consumer, '{iface}', '{out}'], {
      prefix: ['unshare', '-m', 'sh', '-c', script, 'sh'],
      deadlineMs: 30_000,
    });
    expect(run.timedOut).toBe(false);
    expect(run.exitCode, run.stdout.slice(0, 400)).toBe(2);
    expect(run.stderr).toMatch(/ENOSPC/);
  });
});
