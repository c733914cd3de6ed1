import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_TIMER_MS, type CheckCliOptions } from './check-command.js';
import type { ConsumerExit, SupervisedConsumer } from './consumer-process.js';
import { attributeAccesses } from './access-sites.js';
import { EmulatorChannel, type EmulatorReport, type WatchReport } from './emulator-channel.js';
import type { NativeArtifacts } from './native-artifacts.js';
import { POISON_SCAN_MAX_BYTES, scanForPoison } from './output-evidence.js';
import { RunDirectory, sweepDeadRunDirectories } from './run-directory.js';
import { CONSUMER_INTERFACE, Sandbox, TRAFFIC_INTERFACE, type SandboxMode } from './sandbox.js';
import { sendTraffic, type TrafficResult } from './traffic-generator.js';
import { allRings, combineCounters, decideVerdict, describeEnd, type RingEvidence } from './verdict.js';
import { IN_PROGRESS_LOSING, IN_PROGRESS_UNDEFINED_BIT } from './wire-format.js';

/** One run's throughput: frames sent, taken by the consumer, and where the others went. */
export type RunFigures = ReturnType<typeof runFigures> & { note?: string };

/** The verdict object `check --json` prints, as runCheck builds it (its fields are documented there). */
export type CheckReport = Awaited<ReturnType<typeof runCheck>>;

const TIMELINE_IN_REPORT = 64;
const INTERRUPTS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** After a SIGKILL the kernel still has to tear the consumer down; this bounds the wait for it. */
const SANDBOX_END_TIMEOUT_MS = 5000;

/** Each process's watch report, from its last report (watch counts only grow). */
function latestWatches({ live, final }: RingEvidence): WatchReport[] {
  const byPid = new Map<number, WatchReport>();
  for (const report of [...live, ...final]) if (report.watch) byPid.set(report.pid, report.watch);
  return [...byPid.values()];
}

/** What the emulated run and the baseline run share. */
interface ConsumerRunContext {
  /** the consumer's argv, with `{iface}` and `{out}` placeholders */
  command: string[];
  options: CheckCliOptions;
  mode: SandboxMode;
  native: NativeArtifacts;
  /** told the consumer as soon as it runs, so an interrupted check can kill it */
  started: (consumer: SupervisedConsumer) => void;
}

/**
 * Sandbox, consumer under the preloaded library, traffic, snapshot, stop; the sandbox is gone when
 * it returns. `passThrough`: the baseline run, where the consumer keeps the kernel's ring and the
 * emulator only counts.
 */
async function runConsumer(context: ConsumerRunContext, run: RunDirectory, outDir: string, passThrough: boolean) {
  const { options, native } = context;
  const argv = context.command.map((arg) => arg.replaceAll('{iface}', CONSUMER_INTERFACE).replaceAll('{out}', outDir));
  const channel = new EmulatorChannel(run.emulatorDir);
  const assignments = Object.entries(channel.environment(native.emulatorLibrary, options, passThrough)).map(([name, value]) => `${name}=${value}`);
  let sandbox: Sandbox | null = null;
  try {
    // `env` applies the preload from the consumer on: the launcher runs without it.
    sandbox = await Sandbox.start({
      mode: context.mode,
      launcher: native.sandboxLauncher,
      run,
      argv: ['env', ...assignments, ...argv],
    });
    const running = sandbox.consumer;
    context.started(running);
    const mapped = await channel.waitForRing(options.startTimeout, () => running.hasExited);
    const counted = mapped.some((report) => report.rings.some((ring) => ring.emulated || ring.baseline));
    let traffic: TrafficResult = { sent: 0, seed: options.seed, elapsedMs: 0, vlanFrames: 0 };
    let live: EmulatorReport[] = mapped;
    if (counted && !running.hasExited) {
      traffic = await sendTraffic(sandbox, native.trafficGenerator, options);
      // Let the slowest completion land and any unconsumed frame age past the stall threshold.
      await sleep(Math.min(options.delayUs[1] / 1000 + options.stallMs + 250, MAX_TIMER_MS));
      live = await channel.requestSnapshot(3000, () => running.hasExited);
    }
    const exit: ConsumerExit = await running.stop(options.grace);
    // The exit report is written by the consumer's last breath; a killed consumer leaves the last periodic one.
    const final = channel.readReports();
    return {
      argv,
      live: exit.exitedBeforeStop ? final : live,
      final,
      exit,
      traffic,
      outputTail: running.outputTail(),
      consumerPid: sandbox.consumerPid,
      namespace: sandbox.namespace,
    };
  } finally {
    await sandbox?.consumer.stop(options.grace);
    await sandbox?.ended(SANDBOX_END_TIMEOUT_MS);
    sandbox?.destroy();
  }
}

/**
 * A run's figures from its traffic and what became of the frames: `consumed`, those the consumer
 * handed back after the kernel (or the emulated kernel) published them; `kernelDrops`, the real
 * ring's (PACKET_STATISTICS); `emulatedDrops`, the emulated ring's (ring full); `unconsumed`,
 * frames delivered into the ring and still there, or claimed and not handed back, at the end.
 */
function runFigures(traffic: TrafficResult, frames: { consumed: number; kernelDrops: number; emulatedDrops: number; unconsumed: number }) {
  return {
    sent: traffic.sent,
    consumed: frames.consumed,
    lost: traffic.sent - frames.consumed,
    kernelDrops: frames.kernelDrops,
    emulatedDrops: frames.emulatedDrops,
    unconsumed: frames.unconsumed,
    trafficMs: traffic.elapsedMs,
    /** consumed frames per second of traffic */
    framesPerSecond: traffic.elapsedMs > 0 ? Math.round((frames.consumed * 1000) / traffic.elapsedMs) : 0,
  };
}

/** The pass-through baseline's figures: what the kernel delivered into the ring, less what was left in it. */
function passThroughFigures(baseline: Awaited<ReturnType<typeof runConsumer>>): RunFigures {
  const rings = allRings(baseline).filter((ring) => ring.baseline);
  const kernelPackets = rings.reduce((sum, ring) => sum + (ring.baseline?.kernelPackets ?? 0), 0);
  const kernelDrops = rings.reduce((sum, ring) => sum + (ring.baseline?.kernelDrops ?? 0), 0);
  const unconsumed = rings.reduce((sum, ring) => sum + (ring.baseline?.unconsumed ?? 0), 0);
  // PACKET_STATISTICS counts dropped frames among its packets.
  const consumed = Math.max(0, kernelPackets - kernelDrops - unconsumed);
  return {
    ...runFigures(baseline.traffic, { consumed, kernelDrops, emulatedDrops: 0, unconsumed }),
    ...(rings.length === 0 ? { note: `no ring was mapped in the pass-through run (${describeEnd(baseline.exit)})` } : {}),
  };
}

/** `command`: the consumer's argv, with `{iface}` and `{out}` placeholders. */
export async function runCheck(command: string[], options: CheckCliOptions, mode: SandboxMode, native: NativeArtifacts) {
  const started = Date.now();
  const staleLeftoversRemoved = sweepDeadRunDirectories();
  const run = RunDirectory.create();
  const baselineRun = options.baselineRun ? RunDirectory.create() : null;
  // A --out directory is the user's: used where it is, with the mode it has (or a plain mkdir's).
  const outDir = options.out ? path.resolve(options.out) : run.outDir;
  if (options.out) mkdirSync(outDir, { recursive: true });

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
  for (const signal of INTERRUPTS) process.on(signal, onSignal);
  process.on('exit', emergencyCleanup);

  try {
    const context: ConsumerRunContext = { command, options, mode, native, started: (running) => (consumer = running) };
    const emulated = await runConsumer(context, run, outDir, false);
    const { exit } = emulated;
    const poison = await scanForPoison(native.outputScanner, outDir);
    const counters = combineCounters(emulated, poison.poisonFrames);
    const rings = allRings(emulated);
    const verdict = decideVerdict({
      rings,
      counters,
      consumer: exit,
      stallMs: options.stallMs,
      startTimeoutMs: options.startTimeout,
      consumerOutputTail: emulated.outputTail,
    });
    if (poison.truncated) {
      verdict.evidence.push(
        `the search of {out} for poison frames stopped after ${poison.bytesScanned} bytes (limit ${POISON_SCAN_MAX_BYTES} bytes or its time budget); the rest was not searched`,
      );
    }
    const primary = rings.find((ring) => ring.emulated) ?? rings[0];
    const ringList = emulated.final.length > 0 ? emulated.final : emulated.live;
    const inProgressAccesses = options.source !== undefined ? await attributeAccesses(latestWatches(emulated)) : null;
    // The same consumer and traffic without the emulator, only when asked: a second run doubles the time.
    // Its {out} is its own run directory's, whatever --out says: the emulated run's output stays as it was.
    const baseline = baselineRun && primary?.emulated ? await runConsumer(context, baselineRun, baselineRun.outDir, true) : null;
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
      // With --baseline-run, beside the emulated run: the same consumer and traffic with the emulator off.
      throughput: {
        emulated: runFigures(emulated.traffic, {
          consumed: counters.consumed,
          kernelDrops: counters.kernelDrops,
          emulatedDrops: counters.drops,
          unconsumed: Math.max(0, counters.claims - counters.consumed - counters.violations),
        }),
        passThrough: baseline ? passThroughFigures(baseline) : null,
      },
      consumer: {
        command: emulated.argv,
        pid: emulated.consumerPid,
        ...exit,
        outputTail: emulated.outputTail.slice(-2000),
      },
      traffic: { ...emulated.traffic, count: options.packets, rate: options.rate },
      emulator: {
        inProgressValue: options.inProgress === 'losing' ? IN_PROGRESS_LOSING : IN_PROGRESS_UNDEFINED_BIT,
        inProgressMode: options.inProgress,
        producers: options.producers,
        delayUs: options.delayUs,
        seed: options.seed,
        stallMs: options.stallMs,
      },
      sandbox: { mode, namespace: emulated.namespace, consumerInterface: CONSUMER_INTERFACE, trafficInterface: TRAFFIC_INTERFACE },
      outDir: options.out ? outDir : null,
      poisonScan: { filesScanned: poison.filesScanned, bytesScanned: poison.bytesScanned, skipped: poison.skipped, truncated: poison.truncated },
      timeline: (primary?.timeline ?? []).slice(0, TIMELINE_IN_REPORT),
      violationLog: primary?.violationLog ?? [],
      // the first 1024 claims of the first emulated ring: [slot, claimMs, publishMs, consumeMs, violationMs] (-1: did not happen)
      trace: primary?.trace ?? [],
      staleLeftoversRemoved,
      // with --source: the consumer's instructions that touched IN_PROGRESS status words, and their source lines
      inProgressAccesses,
      durationMs: Date.now() - started,
    };
  } finally {
    run.remove();
    baselineRun?.remove();
    for (const signal of INTERRUPTS) process.off(signal, onSignal);
    process.off('exit', emergencyCleanup);
  }
}
