import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { getSystemErrorMap } from 'node:util';
import { readRegularFileSync } from '../files/read-regular-file.js';
import type { CheckCliOptions } from './check-command.js';

/**
 * The file channel between the check and the preloaded emulator (native-check/ringemu.c): each
 * process with a ring writes `report-<pid>.json` in the emulator directory (when its ring is
 * mapped, periodically, on request and at exit); the check asks for a fresh report by writing a
 * sequence number to `request`. A report the emulator could not write leaves an empty
 * `report-<pid>.error-<errno>`. The types below name what the check reads of a report
 * (native-check/README.md describes all of it).
 *
 * The consumer can write in that directory, so nothing there is trusted: reports are read with
 * readRegularFileSync (no links, no FIFOs, bounded), and `request` is replaced by rename, never
 * written through whatever is at its name.
 */
/** A ring's counters in each report, in the order the verdict object prints them (combineCounters, verdict.ts). */
export const EMULATOR_COUNTERS = [
  'realFrames',
  'claims',
  'publishes',
  'drops',
  'violations',
  'consumed',
  'stalls',
  'oldestStallMs',
  'inProgressNow',
  'waitCalls',
  'readyAnswers',
  'lastWaitAgoMs',
  'foreignWrites',
  'kernelPackets',
  'kernelDrops',
] as const;

export type EmulatorCounters = Record<(typeof EMULATOR_COUNTERS)[number], number>;

export interface TimelineEvent {
  tMs: number;
  slot: number;
  event: string;
  status?: number;
  inProgressForUs?: number;
}

export interface EmulatorRing {
  fd: number;
  version: 'V1' | 'V2' | 'V3' | 'unknown';
  emulated: boolean;
  reason: string;
  frames: number;
  frameSize: number;
  blockSize: number;
  blockNr: number;
  /** a TX ring follows the RX ring in the same mapping; the emulator leaves it to the kernel */
  withTxRing?: boolean;
  /** the pass-through baseline run's counts of the kernel's own ring (RINGEMU_PASS_THROUGH=1) */
  baseline?: { kernelPackets: number; kernelDrops: number; unconsumed: number };
  counters?: EmulatorCounters;
  timeline?: TimelineEvent[];
  violationLog?: TimelineEvent[];
  /** the first 1024 claims: [slot, claimMs, publishMs, consumeMs, violationMs], -1 for what did not happen */
  trace?: Array<[number, number, number, number, number]>;
}

/** An instruction of the consumer's that touched a status word while its slot was IN_PROGRESS. */
export interface WatchSite {
  /** the object file it is in, as the consumer's process named it */
  object: string;
  /** an address inside the instruction, as addr2line takes it for that object (hex) */
  address: string;
  hits: number;
  firstMs: number;
}

/** The emulator's hardware watchpoints on IN_PROGRESS status words (RINGEMU_WATCH=1). */
export interface WatchReport {
  threads: number;
  /** why no thread could be watched ('' when some could) */
  unavailable: string;
  hits: number;
  sites: WatchSite[];
  /** the first 256 accesses: [slot, index in sites (-1: not kept), tMs] */
  hitLog?: Array<[number, number, number]>;
}

export interface EmulatorReport {
  pid: number;
  requestSeq: number;
  rings: EmulatorRing[];
  watch?: WatchReport;
}

/** A report is a few KiB (bounded timelines); anything much larger is not one. */
const MAX_REPORT_BYTES = 1024 * 1024;
const REPORT_NAME = /^report-\d+\.json$/;
const FAILURE_NAME = /^report-(\d+)\.error-(\d+)$/;

/** `ENOSPC (no space left on device)` for 28. */
function describeErrno(errno: number): string {
  const [name, message] = getSystemErrorMap().get(-errno) ?? [`errno ${errno}`, 'unknown error'];
  return `${name} (${message})`;
}

export class EmulatorChannel {
  private requestSeq = 0;

  /** `dir` exists (see run-directory.ts), and only the check and its consumer can reach it. */
  constructor(readonly dir: string) {}

  /**
   * Variables that load the emulator into the consumer and configure it. `passThrough`: the
   * baseline run, which leaves the kernel's ring to the consumer and only counts.
   */
  environment(
    library: string,
    settings: Pick<CheckCliOptions, 'seed' | 'producers' | 'delayUs' | 'inProgress' | 'stallMs' | 'source'>,
    passThrough: boolean,
  ): Record<string, string> {
    return {
      LD_PRELOAD: library,
      RINGEMU_DIR: this.dir,
      RINGEMU_SEED: String(settings.seed),
      RINGEMU_PRODUCERS: String(settings.producers),
      RINGEMU_DELAY_MIN_US: String(settings.delayUs[0]),
      RINGEMU_DELAY_MAX_US: String(settings.delayUs[1]),
      RINGEMU_IN_PROGRESS: settings.inProgress,
      RINGEMU_STALL_MS: String(settings.stallMs),
      // --source asks which instructions touch IN_PROGRESS status words (hardware watchpoints); the baseline has none to watch.
      RINGEMU_WATCH: settings.source !== undefined && !passThrough ? '1' : '0',
      RINGEMU_PASS_THROUGH: passThrough ? '1' : '0',
    };
  }

  /** Throws when the emulator said it could not write a report: the check cannot tell what the consumer did (a tool error, not a verdict). */
  readReports(): EmulatorReport[] {
    const reports: EmulatorReport[] = [];
    let names: string[] = [];
    try {
      names = readdirSync(this.dir);
    } catch {
      return reports;
    }
    for (const name of names) {
      const failure = FAILURE_NAME.exec(name);
      if (failure) {
        throw new Error(
          `the emulator in consumer process ${failure[1]} could not write its report in ${this.dir}: ${describeErrno(Number(failure[2]))}`,
        );
      }
      if (!REPORT_NAME.test(name)) continue;
      try {
        reports.push(JSON.parse(readRegularFileSync(path.join(this.dir, name), MAX_REPORT_BYTES).toString('utf8')) as EmulatorReport);
      } catch {
        // Reports are written by rename: anything unreadable or unparsable is not one of them.
      }
    }
    return reports;
  }

  /** Reads the reports every `intervalMs` until `done` accepts them, `giveUp()` says so or time runs out; returns the last reading. */
  private async poll(timeoutMs: number, intervalMs: number, giveUp: () => boolean, done: (reports: EmulatorReport[]) => boolean): Promise<EmulatorReport[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reports = this.readReports();
      if (done(reports) || giveUp() || Date.now() >= deadline) return reports;
      await sleep(intervalMs);
    }
  }

  /** Resolves once some process mapped a ring, with the reports of those that did; [] when `giveUp()` says so or time runs out. */
  async waitForRing(timeoutMs: number, giveUp: () => boolean): Promise<EmulatorReport[]> {
    const reports = await this.poll(timeoutMs, 20, giveUp, (all) => all.some((report) => report.rings.length > 0));
    return reports.filter((report) => report.rings.length > 0);
  }

  /** Asks every emulated process for a fresh report and waits (bounded, or until `giveUp()`) until each answered. */
  async requestSnapshot(timeoutMs: number, giveUp: () => boolean): Promise<EmulatorReport[]> {
    const seq = ++this.requestSeq;
    this.writeRequest(seq);
    const answered = (report: EmulatorReport) => report.requestSeq >= seq || !report.rings.some((ring) => ring.emulated);
    return this.poll(timeoutMs, 10, giveUp, (reports) => reports.every(answered));
  }

  /**
   * A new file ('wx': O_EXCL, so nothing planted is opened, nor a link followed) renamed over
   * `request` (a link there is replaced, not followed). What a failure leaves goes with the run directory.
   */
  private writeRequest(seq: number): void {
    const staged = path.join(this.dir, `.request-${process.pid}-${seq}`);
    try {
      writeFileSync(staged, `${seq}\n`, { flag: 'wx', mode: 0o644 });
      renameSync(staged, path.join(this.dir, 'request'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new Error(`cannot write the emulator's snapshot request in ${this.dir}: ${code}`);
    }
  }
}
