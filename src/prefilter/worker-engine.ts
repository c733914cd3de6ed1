/** The prefilter without ripgrep: files split across worker threads that search raw bytes. */
import { Worker } from 'node:worker_threads';
import type { PrefilterQuery } from './byte-prefilter.js';

export interface NeedleTask {
  paths: readonly string[];
  query: PrefilterQuery;
}

export async function searchWithWorkers(paths: readonly string[], query: PrefilterQuery, threads: number): Promise<Set<string>> {
  const count = Math.max(1, Math.min(threads, Math.ceil(paths.length / 256)));
  const shares: string[][] = Array.from({ length: count }, () => []);
  // Interleaved shares keep big directories from landing on one thread.
  paths.forEach((path, index) => shares[index % count]!.push(path));
  const results = await Promise.all(shares.map((share) => runWorker({ paths: share, query })));
  return new Set(results.flat());
}

function runWorker(task: NeedleTask): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./needle-worker.js', import.meta.url), { workerData: task });
    worker.once('message', (selected: string[]) => resolve(selected));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`prefilter worker exited with ${code}`));
    });
  });
}
