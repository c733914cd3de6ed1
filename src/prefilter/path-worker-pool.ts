/** Splits a list of paths across worker threads, each answering with the paths it keeps. */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Runs `script` (a worker module next to this one) on interleaved shares of `paths` — interleaved so
 * that one big directory does not land on one thread — with at least `minimumShare` paths per
 * worker, and returns the union of what the workers kept.
 */
export async function keptByWorkers<Extra extends object>(
  script: string,
  paths: readonly string[],
  extra: Extra,
  minimumShare: number,
): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const count = Math.max(1, Math.min(availableParallelism(), Math.ceil(paths.length / minimumShare)));
  const shares: string[][] = Array.from({ length: count }, () => []);
  paths.forEach((path, index) => shares[index % count]!.push(path)); // index % count < count
  const results = await Promise.all(shares.map((share) => runWorker(script, { ...extra, paths: share })));
  return new Set(results.flat());
}

function runWorker(script: string, task: object): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(script, import.meta.url), { workerData: task });
    worker.once('message', (kept: string[]) => resolve(kept));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${script} exited with ${code}`));
    });
  });
}
