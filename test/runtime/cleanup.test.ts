// Nothing the check creates may outlive it: not after a normal run, not after the consumer crashes
// or ignores SIGINT, and not even after the check itself is SIGKILLed (its sandbox goes with it;
// the next run removes its run directory).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  cliPath,
  consumersBuildDir,
  descendantsOf,
  isAlive,
  isRoot,
  leftoversOf,
  networkNamespaceOf,
  processesInNetworkNamespace,
  repoRoot,
  runDirectoriesOf,
  runCheckCli,
  runtimeCheckSkipReason,
  SWEEP_LOCK,
  type CheckRun,
} from './check-harness.js';

const consumer = (name: string) => [path.join(consumersBuildDir, name), '{iface}', '{out}'];
/** 600 frames, not 3 000: these tests are about what the run leaves behind, not its verdict. */
const QUICK = ['--packets', '600'];

function expectNoLeftovers(run: CheckRun): void {
  expect(run.report, run.stderr).not.toBe(null);
  if (run.report) expect(leftoversOf(run.report)).toEqual([]);
}

/** Holds the sweep lock exclusively (see check-harness.ts) until the returned release is called. */
async function holdSweepLockExclusively(): Promise<() => void> {
  const holder = spawn('flock', ['--exclusive', '--no-fork', SWEEP_LOCK, 'sh', '-c', 'echo locked; exec sleep 600'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve, reject) => {
    holder.stdout.on('data', () => resolve());
    holder.on('exit', () => reject(new Error('could not take the sweep lock')));
  });
  return () => holder.kill('SIGKILL');
}

// Named namespaces and the kill scenario need root; CI runs as root, so this never skips there.
const skipReason = runtimeCheckSkipReason() ?? (isRoot() ? null : 'clean-up tests need root (named network namespaces)');
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('ringlint check cleans up', () => {
  it('after a normal run', { timeout: 60_000 }, async () => {
    const run = await runCheckCli(['--json', ...QUICK, '--', ...consumer('poll-user-bit')]);
    expect(run.report?.verdict).toBe('safe');
    expect(run.report?.consumer.stoppedWith).toBe('SIGINT');
    expectNoLeftovers(run);
  });

  it('after the consumer crashes', { timeout: 60_000 }, async () => {
    const run = await runCheckCli(['--json', ...QUICK, '--', ...consumer('crash-after-frames')]);
    expect(run.report?.verdict).toBe('crashed');
    expect(run.report?.consumer.signal).toBe('SIGSEGV');
    expect(run.exitCode).toBe(1);
    expectNoLeftovers(run);
  });

  it('after a consumer that ignores SIGINT and SIGTERM (escalates to SIGKILL)', { timeout: 60_000 }, async () => {
    const run = await runCheckCli(['--json', ...QUICK, '--grace', '300', '--', ...consumer('ignores-stop-signals')]);
    expect(run.report?.consumer.stoppedWith).toBe('SIGKILL');
    expect(run.report?.consumer.signal).toBe('SIGKILL');
    expect(run.report?.verdict).toBe('safe');
    expectNoLeftovers(run);
  });

  it('after the check itself is SIGKILLed: its sandbox dies with it, the next run removes its run directory', { timeout: 120_000 }, async () => {
    const release = await holdSweepLockExclusively();
    try {
      // A long run (traffic for ~60 s) so the kill lands while everything is up.
      const victim = spawn(
        process.execPath,
        [cliPath, 'check', '--json', '--packets', '120000', '--rate', '2000', '--', ...consumer('poll-user-bit')],
        { cwd: repoRoot, stdio: 'ignore' },
      );
      const victimPid = victim.pid;
      if (victimPid === undefined) throw new Error('could not start the check');
      const exited = new Promise((resolve) => victim.on('exit', resolve));
      const ownNamespace = networkNamespaceOf(process.pid);
      let namespace: string | undefined;
      let inside: number[] = [];
      // launcher, init, consumer and traffic generator all running in the sandbox's network namespace
      for (let waited = 0; waited < 15_000 && inside.length < 4; waited += 100) {
        await sleep(100);
        namespace = descendantsOf(victimPid)
          .map(networkNamespaceOf)
          .find((candidate): candidate is string => candidate !== null && candidate !== ownNamespace);
        inside = namespace ? processesInNetworkNamespace(namespace) : [];
      }
      expect(inside.length).toBeGreaterThanOrEqual(4);
      const runDirectories = runDirectoriesOf(victimPid);
      expect(runDirectories).toHaveLength(1);
      victim.kill('SIGKILL');
      await exited;
      // Everything in the sandbox dies with the check (parent-death signals and the PID namespace).
      for (let waited = 0; waited < 5_000 && inside.some(isAlive); waited += 50) await sleep(50);
      expect(inside.filter(isAlive)).toEqual([]);
      expect(processesInNetworkNamespace(namespace ?? '')).toEqual([]);
      // Only files are left: the run directory, which the next run removes.
      expect(runDirectoriesOf(victimPid)).toEqual(runDirectories);

      const later = await runCheckCli(['--json', ...QUICK, '--', ...consumer('poll-user-bit')], { unlocked: true });
      expect(later.report?.verdict).toBe('safe');
      expect(later.report?.staleLeftoversRemoved).toEqual(expect.arrayContaining(runDirectories));
      expect(runDirectoriesOf(victimPid)).toEqual([]);
      expectNoLeftovers(later);
    } finally {
      release();
    }
  });
});
