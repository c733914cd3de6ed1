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

export async function runCheck(options: CheckOptions, mode: SandboxMode, native: NativeArtifacts): Promise<CheckReport> {
  const started = Date.now();
  const staleLeftoversRemoved = sweepDeadRunDirectories();
  const run = RunDirectory.create();
  // A --out directory is the user's: used where it is, with the mode it has (or a plain mkdir's).
  const outDir = options.outDir ? path.resolve(options.outDir) : run.outDir;
  if (options.outDir) mkdirSync(outDir, { recursive: true });
  const channel = new EmulatorChannel(run.emulatorDir);

  let sandbox: Sandbox | null = null;
  let consumer: SupervisedConsumer | null = null;
  // If the check itself is interrupted, nothing it created may outlive it. (Were it SIGKILLed, the
  // sandbox would go with it, and the next run would remove the run directory.)
  const emergencyCleanup = () => {
    consumer?.killNow();
    run.remove();
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
    const settings = {
      seed: options.seed,
      producers: options.producers,
      delayMinUs: options.delayMinUs,
      delayMaxUs: options.delayMaxUs,
      inProgress: options.inProgress,
      stallMs: options.stallMs,
      watchAccesses: options.watchAccesses,
    };
    const argv = substitute(options.command, CONSUMER_INTERFACE, outDir);
    const assignments = Object.entries(channel.environment(native.emulatorLibrary, settings)).map(([name, value]) => `${name}=${value}`);
    // `env` applies the preload from the consumer on: the launcher runs without it.
    sandbox = await Sandbox.start({
      mode,
      launcher: native.sandboxLauncher,
      privateDir: run.path,
      exposed: SHARED_WITH_CONSUMER,
      argv: ['env', ...assignments, ...argv],
    });
    consumer = sandbox.consumer;
    const running = consumer;

    const mapped = await channel.waitForRing(options.startTimeoutMs, () => running.hasExited);
    const emulating = mapped.some((report) => report.rings.some((ring) => ring.emulated));
    let traffic: TrafficResult = { sent: 0, seed: options.seed, elapsedMs: 0, vlanFrames: 0 };
    let live: EmulatorReport[] = mapped;
    if (emulating && !running.hasExited) {
      traffic = await sendTraffic(sandbox, native.trafficGenerator, {
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
    const poison = await scanForPoison(native.outputScanner, outDir);
    const evidence = { live: running.hasExited && exit.exitedBeforeStop ? final : live, final };
    const counters = combineCounters(evidence, poison.poisonFrames);
    const rings = allRings(evidence);
    const decided = decideVerdict({
      rings,
      counters,
      consumer: exit,
      stallMs: options.stallMs,
      startTimeoutMs: options.startTimeoutMs,
      consumerOutputTail: running.outputTail(),
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
    const ringList = final.length > 0 ? final : live;
    const inProgressAccesses = options.watchAccesses ? await attributeAccesses(latestWatches(evidence.live, final)) : null;
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
      consumer: {
        command: argv,
        pid: sandbox.consumerPid,
        exitCode: exit.exitCode,
        signal: exit.signal,
        exitedBeforeStop: exit.exitedBeforeStop,
        stoppedWith: exit.stoppedWith,
        elapsedMs: exit.elapsedMs,
        outputTail: running.outputTail().slice(-2000),
      },
      traffic: { ...traffic, count: options.packets, rate: options.rate },
      emulator: {
        inProgressValue: options.inProgress === 'losing' ? IN_PROGRESS_LOSING : IN_PROGRESS_UNDEFINED_BIT,
        inProgressMode: options.inProgress,
        producers: options.producers,
        delayUs: [options.delayMinUs, options.delayMaxUs],
        seed: options.seed,
        stallMs: options.stallMs,
      },
      sandbox: {
        mode: sandbox.mode,
        namespace: sandbox.namespace,
        consumerInterface: sandbox.consumerInterface,
        trafficInterface: sandbox.trafficInterface,
      },
      outDir: options.outDir ? outDir : null,
      poisonScan: { filesScanned: poison.filesScanned, bytesScanned: poison.bytesScanned, skipped: poison.skipped, truncated: poison.truncated },
      timeline: (primary?.timeline ?? []).slice(0, TIMELINE_IN_REPORT),
      violationLog: primary?.violationLog ?? [],
      staleLeftoversRemoved,
      inProgressAccesses,
      durationMs: Date.now() - started,
    };
  } finally {
    if (consumer && !consumer.hasExited) {
      await consumer.stop({ interruptGraceMs: options.interruptGraceMs, terminateGraceMs: options.terminateGraceMs });
    }
    await sandbox?.ended(SANDBOX_END_TIMEOUT_MS);
    sandbox?.destroy();
    run.remove();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('exit', emergencyCleanup);
  }
}
