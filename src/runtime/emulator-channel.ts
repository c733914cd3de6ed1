import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The file channel between the check and the preloaded emulator (native-check/ringemu.c): each
 * process with a ring writes `report-<pid>.json` in the emulator directory (when its ring is
 * mapped, periodically, on request and at exit); the check asks for a fresh report by writing a
 * sequence number to `request`.
 */
export interface EmulatorCounters {
  realFrames: number;
  claims: number;
  publishes: number;
  drops: number;
  violations: number;
  consumed: number;
  stalls: number;
  oldestStallMs: number;
  inProgressNow: number;
  waitCalls: number;
  readyAnswers: number;
  lastWaitAgoMs: number;
  foreignWrites: number;
  kernelPackets: number;
  kernelDrops: number;
}

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
  inProgressValue?: number;
  inProgressMode?: string;
  producers?: number;
  delayUs?: [number, number];
  seed?: number;
  stallMs?: number;
  uptimeMs?: number;
  counters?: EmulatorCounters;
  timeline?: TimelineEvent[];
  violationLog?: TimelineEvent[];
}

export interface EmulatorReport {
  pid: number;
  phase: 'mapped' | 'running' | 'requested' | 'unmapped' | 'exit';
  requestSeq: number;
  rings: EmulatorRing[];
}

export interface EmulatorSettings {
  seed: number;
  producers: number;
  delayMinUs: number;
  delayMaxUs: number;
  inProgress: 'undefined-bit' | 'losing';
  stallMs: number;
}

export class EmulatorChannel {
  private requestSeq = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    // The consumer may drop root after mapping its ring (tcpdump does) and must still report.
    chmodSync(dir, 0o777);
  }

  /** Variables that load the emulator into the consumer and configure it. */
  environment(library: string, settings: EmulatorSettings): Record<string, string> {
    return {
      LD_PRELOAD: library,
      RINGEMU_DIR: this.dir,
      RINGEMU_SEED: String(settings.seed),
      RINGEMU_PRODUCERS: String(settings.producers),
      RINGEMU_DELAY_MIN_US: String(settings.delayMinUs),
      RINGEMU_DELAY_MAX_US: String(settings.delayMaxUs),
      RINGEMU_IN_PROGRESS: settings.inProgress,
      RINGEMU_STALL_MS: String(settings.stallMs),
    };
  }

  readReports(): EmulatorReport[] {
    const reports: EmulatorReport[] = [];
    let names: string[] = [];
    try {
      names = readdirSync(this.dir);
    } catch {
      return reports;
    }
    for (const name of names) {
      if (!/^report-\d+\.json$/.test(name)) continue;
      try {
        reports.push(JSON.parse(readFileSync(path.join(this.dir, name), 'utf8')) as EmulatorReport);
      } catch {
        // written by rename, so a parse failure means a foreign or truncated file: skip it
      }
    }
    return reports;
  }

  /** Resolves once some process mapped a ring, or with [] when `giveUp()` says so or time runs out. */
  async waitForRing(timeoutMs: number, giveUp: () => boolean): Promise<EmulatorReport[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const withRings = this.readReports().filter((report) => report.rings.length > 0);
      if (withRings.length > 0) return withRings;
      if (giveUp() || Date.now() >= deadline) return [];
      await sleep(20);
    }
  }

  /** Asks every emulated process for a fresh report and waits (bounded) until each answered. */
  async requestSnapshot(timeoutMs: number, stillRunning: () => boolean): Promise<EmulatorReport[]> {
    const seq = ++this.requestSeq;
    writeFileSync(path.join(this.dir, 'request'), `${seq}\n`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reports = this.readReports();
      const emulating = reports.filter((report) => report.rings.some((ring) => ring.emulated));
      if (emulating.every((report) => report.requestSeq >= seq)) return reports;
      if (!stillRunning() || Date.now() >= deadline) return reports;
      await sleep(10);
    }
  }
}
