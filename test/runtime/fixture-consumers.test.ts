// Every runnable fixture consumer, checked through the CLI, must get the verdict its
// `ringlint-check-expect:` annotation names — with evidence that fits the verdict — and leave
// nothing behind.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  consumersBuildDir,
  consumersSourceDir,
  EXIT_FOR_VERDICT,
  expectedVerdict,
  leftoversOf,
  repoRoot,
  runCheckCli,
  runtimeCheckSkipReason,
  type CheckRun,
} from './check-harness.js';

const skipReason = runtimeCheckSkipReason();
if (skipReason) console.warn(skipReason);

/**
 * 1 000 frames rather than the default 3 000: every verdict here is decided well within them — a
 * violation within the first frames, a stall by the first of 200 VLAN-tagged ones, a safe consumer
 * through hundreds of IN_PROGRESS claims — and the traffic takes a third of the time.
 */
const QUICK = ['--packets', '1000'];

interface Fixture {
  name: string;
  source: string;
  command: string[];
  extraArgs: string[];
}

const cFixtures: Fixture[] = readdirSync(consumersSourceDir)
  .filter((file) => file.endsWith('.c'))
  .sort()
  .map((file) => ({
    name: file,
    source: path.join(consumersSourceDir, file),
    command: [path.join(consumersBuildDir, path.basename(file, '.c')), '{iface}', '{out}'],
    // The signal-ignoring consumer needs the whole stop sequence; keep its grace short.
    extraArgs: file === 'ignores-stop-signals.c' ? ['--grace', '300'] : [],
  }));

const nodeFixtures: Fixture[] = ['kernel-inequality.mjs', 'user-bit.mjs'].map((file) => ({
  name: `node/${file}`,
  source: path.join(consumersSourceDir, 'node', file),
  command: [process.execPath, path.join(consumersSourceDir, 'node', file), '{iface}', '{out}'],
  extraArgs: [],
}));

function assertEvidenceFits(run: CheckRun, fixture: Fixture): void {
  const report = run.report;
  if (!report) throw new Error(`no JSON verdict; stderr: ${run.stderr}`);
  const c = report.counters;
  // Consumers that wait in poll/ppoll/select/pselect/epoll must have been answered by the emulator.
  if (report.ring.emulated && !fixture.name.includes('spin') && report.verdict !== 'crashed') {
    expect(c.waitCalls).toBeGreaterThan(0);
    expect(c.readyAnswers).toBeGreaterThan(0);
  }
  // RX and TX rings in one mapping: the RX half is emulated, and the consumer's own sends through
  // the TX half (it exits 11 when the kernel does not send them) show the TX half is the kernel's.
  if (/^#define RING_WITH_TX\b/m.test(readFileSync(fixture.source, 'utf8'))) {
    expect(report.ring).toMatchObject({ emulated: true, withTxRing: true });
    expect(report.consumer.exitCode).toBe(0);
  }
  // A consumer that ignores SIGINT and SIGTERM says so in the evidence; the others do not.
  const unkillable = report.evidence.filter((line) => /unkillable but by SIGKILL/.test(line));
  expect(unkillable).toHaveLength(report.consumer.stoppedWith === 'SIGKILL' ? 1 : 0);
  switch (report.verdict) {
    case 'breaks':
      expect(c.violations + c.poisonTaken + c.stalls).toBeGreaterThan(0);
      expect(report.evidence.length).toBeGreaterThan(0);
      expect(report.ring.emulated).toBe(true);
      break;
    case 'safe':
      expect(c.consumed).toBeGreaterThan(0);
      expect(c.claims).toBeGreaterThan(0);
      expect(c.violations).toBe(0);
      expect(c.poisonTaken).toBe(0);
      expect(c.stalls).toBe(0);
      // the consumer really faced IN_PROGRESS slots: the timeline shows claims before publishes
      expect(report.timeline.some((event) => event.event === 'claimed-in-progress')).toBe(true);
      break;
    case 'inconclusive':
      expect(report.reason.length).toBeGreaterThan(0);
      break;
    case 'crashed':
      expect(report.consumer.exitedBeforeStop).toBe(true);
      expect(report.consumer.signal ?? report.consumer.exitCode).not.toBe(null);
      break;
  }
}

function assertNothingLeft(run: CheckRun): void {
  if (!run.report?.consumer.pid) throw new Error('no consumer pid in the verdict');
  expect(leftoversOf(run.report)).toEqual([]);
}

describe.skipIf(skipReason !== null)('ringlint check on the fixture consumers', () => {
  it('finds the fixtures', () => {
    expect(cFixtures.length).toBeGreaterThanOrEqual(15);
  });

  for (const fixture of [...cFixtures, ...nodeFixtures]) {
    const expected = expectedVerdict(fixture.source);
    it(`${fixture.name} → ${expected}`, { timeout: 60_000 }, async () => {
      const run = await runCheckCli(['--json', ...QUICK, ...fixture.extraArgs, '--', ...fixture.command], { cwd: repoRoot });
      expect(run.report, run.stderr).not.toBe(null);
      expect({ verdict: run.report?.verdict, reason: run.report?.reason }).toMatchObject({ verdict: expected });
      expect(run.exitCode).toBe(EXIT_FOR_VERDICT[expected]);
      assertEvidenceFits(run, fixture);
      assertNothingLeft(run);
    });
  }
});
