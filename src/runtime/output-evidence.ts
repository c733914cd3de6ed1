import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Poison frames the consumer delivered: every file the consumer wrote under {out} (a pcap from
 * tcpdump, the fixture consumers' frame dumps) is searched for the emulator's poison marker. A
 * poison frame only exists in a slot while it is IN_PROGRESS, so each hit is a frame the consumer
 * took before the emulated kernel published it.
 *
 * {out} is the consumer's (or, with --out, anyone's who can write there), so the search is done by
 * native-check/output-scan.c: regular files only, no links followed, nothing waited on, data
 * extents only (a sparse terabyte costs what it holds), and within a byte and a time budget.
 */
export interface PoisonScan {
  poisonFrames: number;
  filesScanned: number;
  bytesScanned: number;
  /** entries that are neither regular files nor directories (links, FIFOs, devices…), or changed under the scan */
  skipped: number;
  /** the budget ran out: what was not read was not searched */
  truncated: boolean;
}

/** Far above any capture a check produces (3 000 frames of tcpdump: ~0.5 MB). */
export const POISON_SCAN_MAX_BYTES = 1024 ** 3;
export const POISON_SCAN_MAX_MS = 10_000;

export async function scanForPoison(scanner: string, dir: string): Promise<PoisonScan> {
  const { stdout } = await execFileAsync(scanner, [dir, String(POISON_SCAN_MAX_BYTES), String(POISON_SCAN_MAX_MS)], {
    encoding: 'utf8',
    // The scanner keeps its own time budget; this only guards against it hanging.
    timeout: POISON_SCAN_MAX_MS + 10_000,
  });
  return JSON.parse(stdout) as PoisonScan;
}
