import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Supervision of the consumer under test, through the sandbox launcher that runs it (sandbox.ts):
 * the launcher leads its own process group, which the consumer shares, and ends exactly as the
 * consumer does (same exit code, or same signal). Stopped with SIGINT, then SIGTERM, then SIGKILL
 * to the group; the launcher ignores the first two, which are for the consumer, and whatever the
 * consumer left behind dies with its PID namespace.
 */
export interface ConsumerExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** the consumer ended on its own, before the check asked it to stop */
  exitedBeforeStop: boolean;
  /** the last signal the stop sequence had to send, if any */
  stoppedWith: NodeJS.Signals | null;
  /** from the launch (sandbox set-up included) to the end */
  elapsedMs: number;
}

const OUTPUT_TAIL_BYTES = 8192;

export class SupervisedConsumer {
  /** the launcher's pid, which leads the process group */
  readonly pid: number;
  readonly exited: Promise<ConsumerExit>;
  private stopRequested = false;
  private lastStopSignal: NodeJS.Signals | null = null;
  private finished: ConsumerExit | null = null;
  private tail = '';
  private readonly startedAt = Date.now();

  /** Supervises a process already spawned (detached, with stdout and stderr piped). */
  constructor(child: ChildProcess) {
    const keep = (chunk: Buffer) => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
        if (this.finished) return;
        this.finished = {
          exitCode,
          signal,
          exitedBeforeStop: !this.stopRequested,
          stoppedWith: this.stopRequested ? this.lastStopSignal : null,
          elapsedMs: Date.now() - this.startedAt,
        };
        resolve(this.finished);
      };
      // spawn failures (no launcher…) arrive as 'error' and are followed by 'exit' or nothing
      child.on('error', (error) => {
        this.tail += `\nringlint: could not start the consumer: ${error.message}`;
        finish(127, null);
      });
      child.on('exit', finish);
    });
    // After the listeners: a spawn that failed (EACCES, ENOENT) reports it as 'error' on the next tick.
    if (child.pid === undefined) throw new Error('the consumer could not be started');
    this.pid = child.pid;
  }

  get hasExited(): boolean {
    return this.finished !== null;
  }

  outputTail(): string {
    return this.tail;
  }

  /** The launcher leads the group (spawned detached) and stays in it: when the group is gone, so is the launcher. */
  private signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch {
      // already gone
    }
  }

  /** `graceMs`: how long SIGINT, then SIGTERM, is given before the next signal. */
  async stop(graceMs: number): Promise<ConsumerExit> {
    if (this.finished) return this.finished;
    this.stopRequested = true;
    const sequence: Array<[NodeJS.Signals, number]> = [
      ['SIGINT', graceMs],
      ['SIGTERM', graceMs],
      ['SIGKILL', 5000],
    ];
    for (const [signal, graceMs] of sequence) {
      if (this.finished) break;
      this.lastStopSignal = signal;
      this.signalGroup(signal);
      // Unreferenced: a grace timer that lost the race must not keep the check alive.
      const ended = await Promise.race([this.exited.then(() => true), sleep(graceMs, undefined, { ref: false }).then(() => false)]);
      if (ended) break;
    }
    // The group may still hold children of a consumer that exited; they go too.
    this.signalGroup('SIGKILL');
    return this.exited;
  }

  /** For exit paths that cannot await: take the whole group down now. */
  killNow(): void {
    this.stopRequested = true;
    this.signalGroup('SIGKILL');
  }
}
