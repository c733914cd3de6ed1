import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_TIMER_MS } from './check-command.js';
import type { ConsumerExit, SupervisedConsumer } from './consumer-process.js';
import { attributeAccesses, type AccessAttribution } from './access-sites.js';
import { EmulatorChannel, type EmulatorReport, type TimelineEvent, type WatchReport } from './emulator-channel.js';
import type { NativeArtifacts } from './native-artifacts.js';
import { POISON_SCAN_MAX_BYTES, scanForPoison, type PoisonScan } from './output-evidence.js';
import { RunDirectory, SHARED_WITH_CONSUMER, sweepDeadRunDirectories } from './run-directory.js';
import { CONSUMER_INTERFACE, Sandbox, type SandboxMode } from './sandbox.js';
import { sendTraffic, type TrafficResult } from './traffic-generator.js';
import { allRings, combineCounters, decideVerdict, type CheckCounters, type VerdictKind } from './verdict.js';
import { IN_PROGRESS_LOSING, IN_PROGRESS_UNDEFINED_BIT } from './wire-format.js';

/** One run of the runtime check: sandbox, consumer under the emulator, traffic, evidence, verdict. */
export interface CheckOptions {
  /** the consumer's argv, with `{iface}` and `{out}` placeholders */
  command: string[];
  packets: number;
  rate: number;
  seed: number;
  vlanEvery: number;
  producers: number;
  delayMinUs: number;
  delayMaxUs: number;
  inProgress: 'undefined-bit' | 'losing';
  stallMs: number;
  startTimeoutMs: number;
  interruptGraceMs: number;
  terminateGraceMs: number;
  /** where `{out}` points; kept after the run. Without it a temporary directory is used and removed. */
  outDir?: string;
  /** watch which instructions of the consumer touch IN_PROGRESS status words (for --source) */
  watchAccesses: boolean;
  /** run the consumer a second time without the emulator and report both runs' throughput */
  baselineRun: boolean;
}

/** One run's throughput: frames sent, taken by the consumer, and where the others went. */
export interface RunFigures {
  sent: number;
  /** frames the consumer handed back after the kernel (or the emulated kernel) published them */
  consumed: number;
  /** sent − consumed */
  lost: number;
  /** the real ring's drops (PACKET_STATISTICS) */
  kernelDrops: number;
  /** the emulated ring's drops (ring full) */
  emulatedDrops: number;
  /** frames delivered into the ring and still there, or claimed and not handed back, at the end */
  unconsumed: number;
  trafficMs: number;
  /** consumed frames per second of traffic */
  framesPerSecond: number;
  note?: string;
}

export interface CheckReport {
  verdict: VerdictKind;
  reason: string;
  evidence: string[];
  ring: {
    version: 'V1' | 'V2' | 'V3' | null;
    frames: number;
    frameSize: number;
    blockSize: number;
    blockNr: number;
    emulated: boolean;
    withTxRing: boolean;
  };
  rings: Array<{ pid: number; fd: number; version: string; emulated: boolean; reason: string; frames: number; frameSize: number }>;
  counters: CheckCounters;
  /** the emulated run, and with --baseline-run the same consumer and traffic with the emulator off */
  throughput: { emulated: RunFigures; passThrough: RunFigures | null };
  consumer: {
    command: string[];
    pid: number | null;
    exitCode: number | null;
    signal: string | null;
    exitedBeforeStop: boolean;
    stoppedWith: string | null;
    /** from its launch to its end */
    elapsedMs: number;
    outputTail: string;
  };
  traffic: { sent: number; seed: number; count: number; rate: number; vlanFrames: number; elapsedMs: number };
  emulator: { inProgressValue: number; inProgressMode: string; producers: number; delayUs: [number, number]; seed: number; stallMs: number };
  sandbox: { mode: SandboxMode; namespace: string | null; consumerInterface: string; trafficInterface: string };
  outDir: string | null;
  poisonScan: Omit<PoisonScan, 'poisonFrames'>;
  timeline: TimelineEvent[];
  violationLog: TimelineEvent[];
  /** the first 1024 claims of the first emulated ring: [slot, claimMs, publishMs, consumeMs, violationMs] (-1: did not happen) */
  trace: Array<[number, number, number, number, number]>;
  staleLeftoversRemoved: string[];
  /** with watchAccesses: the consumer's instructions that touched IN_PROGRESS status words, and their source lines */
  inProgressAccesses: AccessAttribution | null;
  durationMs: number;
}

const TIMELINE_IN_REPORT = 64;
/** After a SIGKILL the kernel still has to tear the consumer down; this bounds the wait for it. */
const SANDBOX_END_TIMEOUT_MS = 5000;

/** Each process's watch report, from its last report (watch counts only grow). */
function latestWatches(live: EmulatorReport[], final: EmulatorReport[]): WatchReport[] {
  const byPid = new Map<number, WatchReport>();
  for (const report of [...live, ...final]) if (report.watch) byPid.set(report.pid, report.watch);
  return [...byPid.values()];
}

function substitute(command: string[], iface: string, outDir: string): string[] {
  return command.map((arg) => arg.replaceAll('{iface}', iface).replaceAll('{out}', outDir));
}

/** What one run of the consumer in a sandbox left: its reports, how it ended, the traffic it got. */
interface ConsumerRun {
  /** reports taken while the consumer was still running */
  live: EmulatorReport[];
  /** the last reports (the exit report of a consumer that ended normally) */
  final: EmulatorReport[];
  exit: ConsumerExit;
  traffic: TrafficResult;
  outputTail: string;
  consumerPid: number | null;
  sandbox: CheckReport['sandbox'];
}

interface ConsumerRunSpec {
  options: CheckOptions;
  mode: SandboxMode;
  native: NativeArtifacts;
  run: RunDirectory;
  outDir: string;
  argv: string[];
  /** the baseline run: the consumer keeps the kernel's ring, the emulator only counts */
  passThrough: boolean;
  /** told the consumer as soon as it runs, so an interrupted check can kill it */
  started: (consumer: SupervisedConsumer) => void;
}

/** Sandbox, consumer under the preloaded library, traffic, snapshot, stop; the sandbox is gone when it returns. */
async function runConsumer(spec: ConsumerRunSpec): Promise<ConsumerRun> {
  const { options } = spec;
  const channel = new EmulatorChannel(spec.run.emulatorDir);
  const settings = {
    seed: options.seed,
    producers: options.producers,
    delayMinUs: options.delayMinUs,
    delayMaxUs: options.delayMaxUs,
    inProgress: options.inProgress,
    stallMs: options.stallMs,
    watchAccesses: options.watchAccesses && !spec.passThrough,
    passThrough: spec.passThrough,
  };
  const assignments = Object.entries(channel.environment(spec.native.emulatorLibrary, settings)).map(([name, value]) => `${name}=${value}`);
  let sandbox: Sandbox | null = null;
  try {
    // `env` applies the preload from the consumer on: the launcher runs without it.
    sandbox = await Sandbox.start({
      mode: spec.mode,
      launcher: spec.native.sandboxLauncher,
      privateDir: spec.run.path,
      exposed: SHARED_WITH_CONSUMER,
      argv: ['env', ...assignments, ...spec.argv],
    });
    const running = sandbox.consumer;
    spec.started(running);
    const mapped = await channel.waitForRing(options.startTimeoutMs, () => running.hasExited);
    const counted = mapped.some((report) => report.rings.some((ring) => ring.emulated || ring.baseline));
    let traffic: TrafficResult = { sent: 0, seed: options.seed, elapsedMs: 0, vlanFrames: 0 };
    let live: EmulatorReport[] = mapped;
    if (counted && !running.hasExited) {
      traffic = await sendTraffic(sandbox, spec.native.trafficGenerator, {
        count: options.packets,
        rate: options.rate,
        seed: options.seed,
        vlanEvery: options.vlanEvery,
      });
      // Let the slowest completion land and any unconsumed frame age past the stall threshold.
      await sleep(Math.min(options.delayMaxUs / 1000 + options.stallMs + 250, MAX_TIMER_MS));
      live = await channel.requestSnapshot(3000, () => !running.hasExited);
    }
    const exit: ConsumerExit = await running.stop({
      interruptGraceMs: options.interruptGraceMs,
      terminateGraceMs: options.terminateGraceMs,
    });
    // The exit report is written by the consumer's last breath; a killed consumer leaves the last periodic one.
    const final = channel.readReports();
    return {
      live: running.hasExited && exit.exitedBeforeStop ? final : live,
      final,
      exit,
      traffic,
      outputTail: running.outputTail(),
      consumerPid: sandbox.consumerPid,
      sandbox: {
        mode: sandbox.mode,
        namespace: sandbox.namespace,
        consumerInterface: sandbox.consumerInterface,
        trafficInterface: sandbox.trafficInterface,
      },
    };
  } finally {
    const consumer = sandbox?.consumer;
    if (consumer && !consumer.hasExited) {
      await consumer.stop({ interruptGraceMs: options.interruptGraceMs, terminateGraceMs: options.terminateGraceMs });
    }
    await sandbox?.ended(SANDBOX_END_TIMEOUT_MS);
    sandbox?.destroy();
  }
}

function perSecond(frames: number, elapsedMs: number): number {
  return elapsedMs > 0 ? Math.round((frames * 1000) / elapsedMs) : 0;
}

/** The pass-through baseline's figures: what the kernel delivered into the ring, less what was left in it. */
function passThroughFigures(baseline: ConsumerRun): RunFigures {
  const rings = allRings({ live: baseline.live, final: baseline.final }).filter((ring) => ring.baseline);
  const kernelPackets = rings.reduce((sum, ring) => sum + (ring.baseline?.kernelPackets ?? 0), 0);
  const kernelDrops = rings.reduce((sum, ring) => sum + (ring.baseline?.kernelDrops ?? 0), 0);
  const unconsumed = rings.reduce((sum, ring) => sum + (ring.baseline?.unconsumed ?? 0), 0);
  // PACKET_STATISTICS counts dropped frames among its packets.
  const consumed = Math.max(0, kernelPackets - kernelDrops - unconsumed);
  const sent = baseline.traffic.sent;
  return {
    sent,
    consumed,
    lost: sent - consumed,
    kernelDrops,
    emulatedDrops: 0,
    unconsumed,
    trafficMs: baseline.traffic.elapsedMs,
    framesPerSecond: perSecond(consumed, baseline.traffic.elapsedMs),
    ...(rings.length === 0 ? { note: `no ring was mapped in the pass-through run (${describeEnd(baseline.exit)})` } : {}),
  };
}

function describeEnd(exit: ConsumerExit): string {
  return exit.signal ? `the consumer was killed by ${exit.signal}` : `the consumer exited with code ${exit.exitCode ?? 'unknown'}`;
}

export async function runCheck(options: CheckOptions, mode: SandboxMode, native: NativeArtifacts): Promise<CheckReport> {
  const started = Date.now();
  const staleLeftoversRemoved = sweepDeadRunDirectories();
  const run = RunDirectory.create();
  const baselineRun = options.baselineRun ? RunDirectory.create() : null;
  // A --out directory is the user's: used where it is, with the mode it has (or a plain mkdir's).
  const outDir = options.outDir ? path.resolve(options.outDir) : run.outDir;
  if (options.outDir) mkdirSync(outDir, { recursive: true });

  let consumer: SupervisedConsumer | null = null;
  // If the check itself is interrupted, nothing it created may outlive it. (Were it SIGKILLed, the
  // sandbox would go with it, and the next run would remove the run directory.)
  const emergencyCleanup = () => {
    consumer?.killNow();
    run.remove();
    baselineRun?.remove();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    emergencyCleanup();
    process.stderr.write(`ringlint: check interrupted by ${signal}; cleaned up\n`);
    process.exit(2);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('exit', emergencyCleanup);

  try {
    const argv = substitute(options.command, CONSUMER_INTERFACE, outDir);
    const emulated = await runConsumer({
      options,
      mode,
      native,
      run,
      outDir,
      argv,
      passThrough: false,
      started: (running) => (consumer = running),
    });
    const { exit } = emulated;
    const poison = await scanForPoison(native.outputScanner, outDir);
    const evidence = { live: emulated.live, final: emulated.final };
    const counters = combineCounters(evidence, poison.poisonFrames);
    const rings = allRings(evidence);
    const decided = decideVerdict({
      rings,
      counters,
      consumer: exit,
      stallMs: options.stallMs,
      startTimeoutMs: options.startTimeoutMs,
      consumerOutputTail: emulated.outputTail,
    });
    const verdict = poison.truncated
      ? {
          ...decided,
          evidence: [
            ...decided.evidence,
            `the search of {out} for poison frames stopped after ${poison.bytesScanned} bytes (limit ${POISON_SCAN_MAX_BYTES} bytes or its time budget); the rest was not searched`,
          ],
        }
      : decided;
    const primary = rings.find((ring) => ring.emulated) ?? rings[0];
    const ringList = emulated.final.length > 0 ? emulated.final : emulated.live;
    const inProgressAccesses = options.watchAccesses ? await attributeAccesses(latestWatches(emulated.live, emulated.final)) : null;
    // The same consumer and traffic without the emulator, only when asked: a second run doubles the time.
    // Its {out} is its own run directory's, whatever --out says: the emulated run's output stays as it was.
    const baseline =
      baselineRun && primary?.emulated
        ? await runConsumer({
            options,
            mode,
            native,
            run: baselineRun,
            outDir: baselineRun.outDir,
            argv: substitute(options.command, CONSUMER_INTERFACE, baselineRun.outDir),
            passThrough: true,
            started: (running) => (consumer = running),
          })
        : null;
    return {
      ...verdict,
      ring: {
        version: primary && primary.version !== 'unknown' ? primary.version : null,
        frames: primary?.frames ?? 0,
        frameSize: primary?.frameSize ?? 0,
        blockSize: primary?.blockSize ?? 0,
        blockNr: primary?.blockNr ?? 0,
        emulated: primary?.emulated ?? false,
        withTxRing: primary?.withTxRing ?? false,
      },
      rings: ringList.flatMap((report) =>
        report.rings.map((ring) => ({
          pid: report.pid,
          fd: ring.fd,
          version: ring.version,
          emulated: ring.emulated,
          reason: ring.reason,
          frames: ring.frames,
          frameSize: ring.frameSize,
        })),
      ),
      counters,
      throughput: {
        emulated: {
          sent: emulated.traffic.sent,
          consumed: counters.consumed,
          lost: emulated.traffic.sent - counters.consumed,
          kernelDrops: counters.kernelDrops,
          emulatedDrops: counters.drops,
          unconsumed: Math.max(0, counters.claims - counters.consumed - counters.violations),
          trafficMs: emulated.traffic.elapsedMs,
          framesPerSecond: perSecond(counters.consumed, emulated.traffic.elapsedMs),
        },
        passThrough: baseline ? passThroughFigures(baseline) : null,
      },
      consumer: {
        command: argv,
        pid: emulated.consumerPid,
        exitCode: exit.exitCode,
        signal: exit.signal,
        exitedBeforeStop: exit.exitedBeforeStop,
        stoppedWith: exit.stoppedWith,
        elapsedMs: exit.elapsedMs,
        outputTail: emulated.outputTail.slice(-2000),
      },
      traffic: { ...emulated.traffic, count: options.packets, rate: options.rate },
      emulator: {
        inProgressValue: options.inProgress === 'losing' ? IN_PROGRESS_LOSING : IN_PROGRESS_UNDEFINED_BIT,
        inProgressMode: options.inProgress,
        producers: options.producers,
        delayUs: [options.delayMinUs, options.delayMaxUs],
        seed: options.seed,
        stallMs: options.stallMs,
      },
      sandbox: emulated.sandbox,
      outDir: options.outDir ? outDir : null,
      poisonScan: { filesScanned: poison.filesScanned, bytesScanned: poison.bytesScanned, skipped: poison.skipped, truncated: poison.truncated },
      timeline: (primary?.timeline ?? []).slice(0, TIMELINE_IN_REPORT),
      violationLog: primary?.violationLog ?? [],
      trace: primary?.trace ?? [],
      staleLeftoversRemoved,
      inProgressAccesses,
      durationMs: Date.now() - started,
    };
  } finally {
    run.remove();
    baselineRun?.remove();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('exit', emergencyCleanup);
  }
}
