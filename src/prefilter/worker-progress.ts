/**
 * How a path worker tells its pool how far it has come, besides its one answer at the end: a scan's
 * progress display would otherwise stand at 0 for the whole stage (seconds to minutes on a large
 * tree with --no-prefilter).
 */
import type { MessagePort } from 'node:worker_threads';

/** Posted after each path: how many of its paths the worker has finished. */
export interface WorkerProgress {
  finishedPaths: number;
}

export function postProgress(port: MessagePort, finishedPaths: number): void {
  const progress: WorkerProgress = { finishedPaths };
  port.postMessage(progress);
}

export function isWorkerProgress(message: unknown): message is WorkerProgress {
  return typeof message === 'object' && message !== null && !Array.isArray(message) && typeof (message as Partial<WorkerProgress>).finishedPaths === 'number';
}
