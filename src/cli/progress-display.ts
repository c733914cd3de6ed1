/** A one-line progress display on stderr for long scans; nothing at all when stderr is not a terminal. */
import type { ScanProgress } from '../scan/run-scan.js';

/** Redraw at most this often: a kernel-tree scan reports tens of thousands of steps. */
const REDRAW_MS = 100;

export class ProgressDisplay {
  private lastDraw = 0;
  private phaseStarted = performance.now();
  private phase: ScanProgress['phase'] | undefined;
  private drawn = false;

  private constructor(private readonly stream: NodeJS.WriteStream) {}

  static forStream(stream: NodeJS.WriteStream): ProgressDisplay | undefined {
    return stream.isTTY ? new ProgressDisplay(stream) : undefined;
  }

  readonly update = (progress: ScanProgress): void => {
    const now = performance.now();
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
  const eta = progress.done > 0 && progress.done < progress.total ? `, ETA ${Math.ceil(remaining)}s` : '';
  return `ringlint: ${progress.phase} ${progress.done}/${progress.total} files (${Math.round(rate)}/s${eta})`;
}
