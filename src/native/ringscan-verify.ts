/** `ringscan verify`: the scan cache's stamps file checked on all cores, content hashes included. */
import { execFile } from 'node:child_process';
import type { StampCheck } from '../cache/stamps.js';

/** Checks a stamps file written by the scan cache; `racyFromNs`: stamps this recent prove nothing. */
export function verifyStamps(binary: string, stampsFile: string, racyFromNs: bigint): Promise<StampCheck> {
  return new Promise((resolve, reject) => {
    execFile(binary, ['verify', stampsFile, String(racyFromNs)], { encoding: 'buffer' }, (error, stdout) => {
      // The header record: "H\ttoken\0".
      if (!error) resolve({ changed: false, token: stdout.toString('utf8').replace(/^H\t/, '').replace(/\0$/, '') });
      else if (error.code === 1) resolve({ changed: true });
      // Any other exit (2: ringscan's own failure), a signal or a failed start: execFile's error names it, with ringscan's stderr.
      else reject(error);
    });
  });
}
