/** `ringscan verify`: the scan cache's stamps file checked on all cores, content hashes included. */
import { spawn } from 'node:child_process';
import type { StampCheck } from '../cache/stamps.js';

/** Checks a stamps file written by the scan cache; `racyFromNs`: stamps this recent prove nothing. */
export function verifyStamps(binary: string, stampsFile: string, racyFromNs: bigint): Promise<StampCheck> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['verify', stampsFile, String(racyFromNs)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 1) resolve({ changed: true });
      // The header record: "H\ttoken\0".
      else if (code === 0) resolve({ changed: false, token: Buffer.concat(out).toString('utf8').replace(/^H\t/, '').replace(/\0$/, '') });
      else {
        const detail = Buffer.concat(err).toString().trim();
        reject(new Error(`ringscan verify failed (${signal ?? `exit ${code}`})${detail ? `: ${detail}` : ''}`));
      }
    });
  });
}
