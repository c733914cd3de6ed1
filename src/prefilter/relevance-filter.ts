/**
 * The second stage of the prefilter, on all cores: worker threads parse the files the byte search
 * selected and keep those whose syntax trees hold the status word in live code. Mentions in
 * comments, in `#if 0`, or a `block_status` field of some unrelated struct (the Linux tree has
 * dozens) cost the main thread nothing. With --no-prefilter, every file goes through this stage.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface RelevanceTask {
  paths: readonly string[];
  maxFileSize: number;
}

/** Paths whose trees mention the status word, plus any the workers could not judge (the scan reports them). */
export async function structurallyRelevant(paths: readonly string[], maxFileSize: number): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const count = Math.max(1, Math.min(availableParallelism(), Math.ceil(paths.length / 8)));
  const shares: string[][] = Array.from({ length: count }, () => []);
  paths.forEach((path, index) => shares[index % count]!.push(path));
  const results = await Promise.all(shares.map((share) => runWorker({ paths: share, maxFileSize })));
  return new Set(results.flat());
}

function runWorker(task: RelevanceTask): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./relevance-worker.js', import.meta.url), { workerData: task });
    worker.once('message', (relevant: string[]) => resolve(relevant));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`relevance worker exited with ${code}`));
    });
  });
}
