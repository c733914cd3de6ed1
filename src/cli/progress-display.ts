/** A one-line progress display on stderr for long scans; nothing at all when stderr is not a terminal. */
import type { ScanProgress } from '../scan/run-scan.js';

/** Redraw at most this often: a kernel-tree scan reports tens of thousands of steps. */
const REDRAW_MS = 100;

/** Where the display draws: standard error, or anything that says whether it is a terminal. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** A display drawing on `stream`, or undefined when it is not a terminal; `now`: milliseconds, from any origin. */
export function progressDisplay(stream: ProgressStream, now: () => number = () => performance.now()) {
  if (!stream.isTTY) return undefined;
  let lastDraw = 0;
  let phaseStarted = now();
  let phase: ScanProgress['phase'] | undefined;
  let drawn = false;
  return {
    update: (progress: ScanProgress): void => {
      const time = now();
      if (progress.phase !== phase) {
        phase = progress.phase;
        phaseStarted = time;
      } else if (time - lastDraw < REDRAW_MS) {
        return;
      }
      lastDraw = time;
      stream.write(`\r\x1b[K${describe(progress, (time - phaseStarted) / 1000)}`);
      drawn = true;
    },
    clear: (): void => {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}

function describe(progress: ScanProgress, seconds: number): string {
  if (progress.total === 0) return `ringlint: ${progress.phase}…`;
  const rate = seconds > 0 ? progress.done / seconds : 0;
  const remaining = rate > 0 ? (progress.total - progress.done) / rate : 0;
  // No rate yet (the phase has just started), no estimate.
  const eta = rate > 0 && progress.done < progress.total ? `, ETA ${Math.ceil(remaining)}s` : '';
  return `ringlint: ${progress.phase} ${progress.done}/${progress.total} files (${Math.round(rate)}/s${eta})`;
}
