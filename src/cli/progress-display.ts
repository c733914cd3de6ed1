/** A one-line progress display on stderr for long scans; nothing at all when stderr is not a terminal. */
import type { ScanProgress } from '../scan/run-scan.js';

/** Redraw at most this often: a kernel-tree scan reports tens of thousands of steps. */
const REDRAW_MS = 100;

/** Where the display draws: standard error, or anything that says whether it is a terminal. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export class ProgressDisplay {
  private lastDraw = 0;
  private phaseStarted: number;
  private phase: ScanProgress['phase'] | undefined;
  private drawn = false;

  private constructor(
    private readonly stream: ProgressStream,
    private readonly now: () => number,
  ) {
    this.phaseStarted = now();
  }

  /** `now`: milliseconds, from any origin. */
  static forStream(stream: ProgressStream, now: () => number = () => performance.now()): ProgressDisplay | undefined {
    return stream.isTTY ? new ProgressDisplay(stream, now) : undefined;
  }

  readonly update = (progress: ScanProgress): void => {
    const now = this.now();
    if (progress.phase !== this.phase) {
      this.phase = progress.phase;
      this.phaseStarted = now;
    } else if (now - this.lastDraw < REDRAW_MS) {
      return;
    }
    this.lastDraw = now;
    this.stream.write(`\r\x1b[K${describe(progress, (now - this.phaseStarted) / 1000)}`);
    this.drawn = true;
  };

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
  }
}

export function describe(progress: ScanProgress, seconds: number): string {
  if (progress.total === 0) return `ringlint: ${progress.phase}…`;
  const rate = seconds > 0 ? progress.done / seconds : 0;
  const remaining = rate > 0 ? (progress.total - progress.done) / rate : 0;
  // No rate yet (the phase has just started), no estimate.
  const eta = rate > 0 && progress.done < progress.total ? `, ETA ${Math.ceil(remaining)}s` : '';
  return `ringlint: ${progress.phase} ${progress.done}/${progress.total} files (${Math.round(rate)}/s${eta})`;
}
