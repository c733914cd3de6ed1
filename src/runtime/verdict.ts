import type { ConsumerExit } from './consumer-process.js';
import { EMULATOR_COUNTERS, type EmulatorCounters, type EmulatorReport, type EmulatorRing } from './emulator-channel.js';

/**
 * The check's verdict, decided only on evidence the check itself observed: the emulator's counters
 * (slots handed back while IN_PROGRESS, ready frames left unconsumed), poison frames found in what
 * the consumer wrote, and how the consumer process ended.
 */
export type VerdictKind = 'safe' | 'breaks' | 'inconclusive' | 'crashed';

export interface RingEvidence {
  /** reports taken while the consumer was still running (stalls are only meaningful then) */
  live: EmulatorReport[];
  /** the last reports, written at exit when the consumer exited normally */
  final: EmulatorReport[];
}

export type CheckCounters = EmulatorCounters & { poisonTaken: number };

function ringsOf(reports: EmulatorReport[]): Map<string, EmulatorRing> {
  const rings = new Map<string, EmulatorRing>();
  for (const report of reports) for (const ring of report.rings) rings.set(`${report.pid}:${ring.fd}`, ring);
  return rings;
}

/**
 * Sums the emulated rings. Monotonic counters take the larger of the live and final reading (the
 * final one saw more); stall figures come from the live reading only, when a stalled consumer was
 * demonstrably still there.
 */
export function combineCounters(evidence: RingEvidence, poisonTaken: number): CheckCounters {
  const live = ringsOf(evidence.live);
  const final = ringsOf(evidence.final);
  const total = Object.fromEntries(EMULATOR_COUNTERS.map((key) => [key, 0])) as EmulatorCounters;
  for (const key of new Set([...live.keys(), ...final.keys()])) {
    const a = live.get(key)?.counters;
    const b = final.get(key)?.counters;
    if (!a && !b) continue;
    for (const name of EMULATOR_COUNTERS) {
      if (name === 'stalls' || name === 'oldestStallMs' || name === 'lastWaitAgoMs' || name === 'inProgressNow') continue;
      total[name] += Math.max(a?.[name] ?? 0, b?.[name] ?? 0);
    }
    const stallSource = a ?? b;
    total.stalls += stallSource?.stalls ?? 0;
    total.oldestStallMs = Math.max(total.oldestStallMs, stallSource?.oldestStallMs ?? 0);
    total.inProgressNow += stallSource?.inProgressNow ?? 0;
    total.lastWaitAgoMs = Math.max(total.lastWaitAgoMs, stallSource?.lastWaitAgoMs ?? -1);
  }
  return { ...total, poisonTaken };
}

export function allRings(evidence: RingEvidence): EmulatorRing[] {
  const rings = ringsOf(evidence.live);
  for (const [key, ring] of ringsOf(evidence.final)) rings.set(key, ring);
  return [...rings.values()];
}

export interface VerdictInput {
  rings: EmulatorRing[];
  counters: CheckCounters;
  consumer: ConsumerExit;
  stallMs: number;
  startTimeoutMs: number;
  consumerOutputTail: string;
}

function describeExit(exit: ConsumerExit): string {
  if (exit.signal) return `killed by ${exit.signal}`;
  return `exit code ${exit.exitCode ?? 'unknown'}`;
}

/** How a consumer ended, as a clause. */
export function describeEnd(exit: ConsumerExit): string {
  return exit.signal ? `the consumer was killed by ${exit.signal}` : `the consumer exited with code ${exit.exitCode ?? 'unknown'}`;
}

/** A consumer crashed when it ended on its own with a failure, or died of a signal the check did not send. */
function crashOf(exit: ConsumerExit): string | null {
  if (exit.exitedBeforeStop) return exit.signal || exit.exitCode !== 0 ? `${describeEnd(exit)} before the check stopped it` : null;
  if (exit.signal && !['SIGINT', 'SIGTERM', 'SIGKILL'].includes(exit.signal))
    return `the consumer was killed by ${exit.signal} while stopping`;
  return null;
}

/**
 * Readiness calls per frame above which a consumer is said to busy-poll: a consumer that sleeps in
 * poll() until a frame is ready makes a few per frame (the fixtures: 2–10); the issue's libtrace
 * and iptraf-ng made 300–600 when poll() answered readable while their next slot was IN_PROGRESS.
 */
const BUSY_POLL_CALLS_PER_FRAME = 20;

/**
 * How the consumer behaved, beside the verdict (never deciding it): what a maintainer sees first
 * when such a consumer runs under the RFC kernel.
 */
function behaviour(input: VerdictInput): string[] {
  const c = input.counters;
  const lines: string[] = [];
  if (input.consumer.stoppedWith === 'SIGKILL')
    lines.push('the consumer is unkillable but by SIGKILL: it ignored SIGINT and SIGTERM, each given its grace period');
  const frames = c.consumed + c.violations;
  if (c.waitCalls >= BUSY_POLL_CALLS_PER_FRAME * Math.max(frames, 1) && c.readyAnswers * 2 >= c.waitCalls)
    lines.push(
      `the consumer busy-polls under IN_PROGRESS: ${c.waitCalls} readiness call(s) for ${frames} frame(s) taken ` +
        `(${Math.round(c.waitCalls / Math.max(frames, 1))} per frame), ${c.readyAnswers} answered readable — ` +
        "as the RFC's packet_poll() answers while the slot before the head is IN_PROGRESS",
    );
  return lines;
}

export function decideVerdict(input: VerdictInput) {
  const c = input.counters;
  const evidence: string[] = [];
  if (c.violations > 0)
    evidence.push(`${c.violations} slot(s) handed back (set to TP_STATUS_KERNEL) while still IN_PROGRESS`);
  if (c.poisonTaken > 0) evidence.push(`${c.poisonTaken} poison frame(s) from IN_PROGRESS slots found in the consumer's output`);
  if (c.stalls > 0)
    evidence.push(
      `${c.stalls} published frame(s) left unconsumed for >= ${input.stallMs} ms (oldest ${Math.round(c.oldestStallMs)} ms) ` +
        `while the consumer kept running (${c.waitCalls} readiness call(s))`,
    );
  const { verdict, reason } = decideOnEvidence(input, evidence);
  // A safe run has no evidence against it: what made it safe, its reason, is its evidence.
  return { verdict, reason, evidence: [...(verdict === 'safe' ? [reason] : evidence), ...behaviour(input)] };
}

function decideOnEvidence(input: VerdictInput, evidence: string[]): { verdict: VerdictKind; reason: string } {
  const { counters: c, rings } = input;
  const emulated = rings.filter((ring) => ring.emulated && ring.counters);
  // The consumer's last three lines of output, for a reason.
  const tail = input.consumerOutputTail.trim().split('\n').slice(-3).join(' | ');
  // Ended on its own without a ring: set-up failed (an option the kernel refused, a bad argument),
  // which says nothing about how it tests slot ownership — not a crash a CI gate would read as one.
  if (rings.length === 0 && input.consumer.exitedBeforeStop) {
    const failed = input.consumer.signal !== null || input.consumer.exitCode !== 0;
    return {
      verdict: 'inconclusive',
      reason:
        `the consumer ${failed ? 'failed' : 'ended'} before mapping a ring (${describeExit(input.consumer)} after ${Math.round(input.consumer.elapsedMs)} ms)` +
        (tail ? `; last output: ${tail}` : '; it printed nothing'),
    };
  }
  const crash = crashOf(input.consumer);
  if (crash) return { verdict: 'crashed', reason: `${crash}${tail ? ` (last output: ${tail})` : ''}` };
  if (rings.length === 0) {
    return {
      verdict: 'inconclusive',
      reason: `no packet ring was mapped within ${input.startTimeoutMs} ms (the consumer kept running without calling setsockopt(PACKET_RX_RING) and mmap())`,
    };
  }
  if (emulated.length === 0) {
    const v3 = rings.every((ring) => ring.version === 'V3');
    return {
      verdict: 'inconclusive',
      reason: v3
        ? 'the consumer uses only TPACKET_V3 rings, which the RFC does not change (passed through, not emulated)'
        : `no ring could be emulated: ${rings.map((ring) => ring.reason).join('; ')}`,
    };
  }
  if (evidence.length > 0) return { verdict: 'breaks', reason: evidence.join('; ') };
  if (c.consumed === 0) {
    return {
      verdict: 'inconclusive',
      reason: `the consumer took no frame from the emulated ring (${c.claims} claimed, ${c.publishes} published, ${c.drops} dropped)`,
    };
  }
  return {
    verdict: 'safe',
    reason: `${c.consumed} frame(s) consumed, ${c.claims} IN_PROGRESS claim(s) survived, no slot handed back while IN_PROGRESS, no poison delivered, no stall`,
  };
}
