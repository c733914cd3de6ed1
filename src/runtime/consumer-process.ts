import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Supervision of the consumer under test: started in its own process group (so the stop sequence
 * reaches everything it spawned), with a parent-death signal where util-linux `setpriv` exists (so
 * it does not outlive a check that is SIGKILLed), stopped with SIGINT, then SIGTERM, then SIGKILL.
 */
export interface ConsumerExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** the consumer ended on its own, before the check asked it to stop */
  exitedBeforeStop: boolean;
  /** the last signal the stop sequence had to send, if any */
  stoppedWith: NodeJS.Signals | null;
}

export interface StopTimings {
  /** SIGINT to SIGTERM */
  interruptGraceMs: number;
  /** SIGTERM to SIGKILL */
  terminateGraceMs: number;
}

const OUTPUT_TAIL_BYTES = 8192;

function onPath(program: string): boolean {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(path.delimiter)) {
    try {
      accessSync(path.join(dir, program), constants.X_OK);
      return true;
    } catch {
      // keep looking
    }
  }
  return false;
}

export class SupervisedConsumer {
  readonly pid: number;
  readonly exited: Promise<ConsumerExit>;
  private readonly child: ChildProcess;
  private stopRequested = false;
  private lastStopSignal: NodeJS.Signals | null = null;
  private finished: ConsumerExit | null = null;
  private tail = '';

  private constructor(child: ChildProcess) {
    this.child = child;
    if (child.pid === undefined) throw new Error('the consumer could not be started');
    this.pid = child.pid;
    const keep = (chunk: Buffer) => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      // spawn failures (no `ip`, no `setpriv`…) arrive as 'error' and are followed by 'exit' or nothing
      child.on('error', (error) => {
        this.tail += `\nringlint: could not start the consumer: ${error.message}`;
        if (this.finished) return;
        this.finished = { exitCode: 127, signal: null, exitedBeforeStop: !this.stopRequested, stoppedWith: null };
        resolve(this.finished);
      });
      child.on('exit', (exitCode, signal) => {
        if (this.finished) return;
        this.finished = {
          exitCode,
          signal,
          exitedBeforeStop: !this.stopRequested,
          stoppedWith: this.stopRequested ? this.lastStopSignal : null,
        };
        resolve(this.finished);
      });
    });
  }

  /**
   * @param prefix argv that enters the sandbox (e.g. `ip netns exec NAME`)
   * @param environment variables for the consumer only (LD_PRELOAD and the emulator's settings)
   */
  static start(prefix: readonly string[], argv: readonly string[], environment: Record<string, string>): SupervisedConsumer {
    const deathSignal = onPath('setpriv') ? ['setpriv', '--pdeathsig', 'KILL', '--'] : [];
    const assignments = Object.entries(environment).map(([name, value]) => `${name}=${value}`);
    // `env` applies the preload only from the consumer on: `ip` and `setpriv` run without it.
    const full = [...prefix, ...deathSignal, 'env', ...assignments, ...argv];
    const [program = 'env', ...args] = full;
    const child = spawn(program, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    return new SupervisedConsumer(child);
  }

  get hasExited(): boolean {
    return this.finished !== null;
  }

  outputTail(): string {
    return this.tail;
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch {
      try {
        this.child.kill(signal);
      } catch {
        // already gone
      }
    }
  }

  async stop(timings: StopTimings): Promise<ConsumerExit> {
    if (this.finished) return this.finished;
    this.stopRequested = true;
    const sequence: Array<[NodeJS.Signals, number]> = [
      ['SIGINT', timings.interruptGraceMs],
      ['SIGTERM', timings.terminateGraceMs],
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
