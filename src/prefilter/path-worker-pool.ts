/** Splits a list of paths across worker threads, each answering with what it found of them. */
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
  return new Set((await answersOfWorkers<Extra, string[]>(script, paths, extra, minimumShare)).flat());
}

/** As `keptByWorkers`, with each worker's whole answer. */
export async function answersOfWorkers<Extra extends object, Answer>(
  script: string,
  paths: readonly string[],
  extra: Extra,
  minimumShare: number,
): Promise<Answer[]> {
  if (paths.length === 0) return [];
  const count = Math.max(1, Math.min(availableParallelism(), Math.ceil(paths.length / minimumShare)));
  const shares: string[][] = Array.from({ length: count }, () => []);
  paths.forEach((path, index) => shares[index % count]!.push(path)); // index % count < count
  return Promise.all(shares.map((share) => runWorker<Answer>(script, { ...extra, paths: share })));
}

function runWorker<Answer>(script: string, task: object): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(script, import.meta.url), { workerData: task });
    worker.once('message', (answer: Answer) => resolve(answer));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${script} exited with ${code}`));
    });
  });
}
