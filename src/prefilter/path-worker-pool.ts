/** Splits a list of paths across worker threads, each answering with what it found of them. */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { isWorkerProgress, type WorkerProgress } from './worker-progress.js';

/**
 * Runs `script` (a worker module next to this one) on interleaved shares of `paths` — interleaved so
 * that one big directory does not land on one thread — with at least `minimumShare` paths per
 * worker, and returns each worker's whole answer. `onProgress` hears how many paths all
 * workers have finished, from workers that post their progress (worker-progress.ts).
 */
export async function answersOfWorkers<Extra extends object, Answer>(
  script: string,
  paths: readonly string[],
  extra: Extra,
  minimumShare: number,
  onProgress?: (finishedPaths: number) => void,
): Promise<Answer[]> {
  if (paths.length === 0) return [];
  const count = Math.max(1, Math.min(availableParallelism(), Math.ceil(paths.length / minimumShare)));
  const shares: string[][] = Array.from({ length: count }, () => []);
  paths.forEach((path, index) => shares[index % count]!.push(path)); // index % count < count
  const finished = new Array<number>(count).fill(0);
  const progressOf = (worker: number) => (finishedPaths: number): void => {
    finished[worker] = finishedPaths;
    onProgress?.(finished.reduce((sum, each) => sum + each, 0));
  };
  return Promise.all(shares.map((share, worker) => runWorker<Answer>(script, { ...extra, paths: share }, progressOf(worker))));
}

function runWorker<Answer>(script: string, task: object, onProgress: (finishedPaths: number) => void): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(script, import.meta.url), { workerData: task });
    worker.on('message', (message: WorkerProgress | Answer) => {
      if (isWorkerProgress(message)) onProgress(message.finishedPaths);
      else resolve(message);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${script} exited with ${code}`));
    });
  });
}
