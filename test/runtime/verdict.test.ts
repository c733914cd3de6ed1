// The verdict's evidence about how the consumer behaved (never deciding the verdict): only SIGKILL
// stopped it; it busy-polled while poll() answered readable under IN_PROGRESS.
import { describe, expect, it } from 'vitest';
import type { ConsumerExit } from '../../src/runtime/consumer-process.js';
import type { EmulatorRing } from '../../src/runtime/emulator-channel.js';
import { decideVerdict, type CheckCounters } from '../../src/runtime/verdict.js';

const ring: EmulatorRing = { fd: 3, version: 'V2', emulated: true, reason: '', frames: 256, frameSize: 2048, blockSize: 8192, blockNr: 64, counters: undefined };

function counters(overrides: Partial<CheckCounters>): CheckCounters {
  const zero: CheckCounters = {
    realFrames: 3000, claims: 3000, publishes: 3000, drops: 0, violations: 0, consumed: 3000, stalls: 0, oldestStallMs: 0,
    inProgressNow: 0, waitCalls: 0, readyAnswers: 0, lastWaitAgoMs: 0, foreignWrites: 0, kernelPackets: 3000, kernelDrops: 0, poisonTaken: 0,
  };
  return { ...zero, ...overrides };
}

function verdictOf(c: CheckCounters, exit: Partial<ConsumerExit> = {}) {
  return decideVerdict({
    rings: [{ ...ring, counters: c }],
    counters: c,
    consumer: { exitCode: 0, signal: null, exitedBeforeStop: false, stoppedWith: 'SIGINT', elapsedMs: 2000, ...exit },
    stallMs: 500,
    startTimeoutMs: 10_000,
    consumerOutputTail: '',
  });
}

describe('behaviour evidence', () => {
  it('says a consumer only SIGKILL stopped is unkillable but by SIGKILL, without changing a safe verdict', () => {
    const verdict = verdictOf(counters({ waitCalls: 9000, readyAnswers: 3000 }), { exitCode: null, signal: 'SIGKILL', stoppedWith: 'SIGKILL' });
    expect(verdict.verdict).toBe('safe');
    expect(verdict.reason).not.toMatch(/SIGKILL/);
    expect(verdict.evidence).toContain('the consumer is unkillable but by SIGKILL: it ignored SIGINT and SIGTERM, each given its grace period');
    expect(verdictOf(counters({})).evidence.join('\n')).not.toMatch(/SIGKILL/);
  });

  it('says a consumer busy-polls when it makes >= 20 readiness calls per frame, mostly answered readable', () => {
    const busy = verdictOf(counters({ waitCalls: 1_200_000, readyAnswers: 1_199_000 }));
    expect(busy.verdict).toBe('safe');
    expect(busy.evidence).toContainEqual(expect.stringMatching(/^the consumer busy-polls under IN_PROGRESS: 1200000 readiness call\(s\) for 3000 frame\(s\) taken \(400 per frame\), 1199000 answered readable/));
    // A few calls per frame is a consumer sleeping in poll(); many unanswered ones are timeouts, not spinning.
    expect(verdictOf(counters({ waitCalls: 30_000, readyAnswers: 29_000 })).evidence.join('\n')).not.toMatch(/busy-polls/);
    expect(verdictOf(counters({ waitCalls: 1_200_000, readyAnswers: 3000 })).evidence.join('\n')).not.toMatch(/busy-polls/);
  });

  it('keeps a breaks reason to the evidence that decided it', () => {
    const verdict = verdictOf(counters({ violations: 100, consumed: 2900, waitCalls: 1_200_000, readyAnswers: 1_199_000 }));
    expect(verdict.verdict).toBe('breaks');
    expect(verdict.reason).toBe('100 slot(s) handed back (set to TP_STATUS_KERNEL) while still IN_PROGRESS');
    expect(verdict.evidence.at(-1)).toMatch(/busy-polls/);
  });
});
