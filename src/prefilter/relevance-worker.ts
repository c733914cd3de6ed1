/**
 * Worker thread: judges each file (parsing it unless its bytes already say no) and reports those
 * that hold the status word in live code, and those it parsed.
 */
import { statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { judgeRelevance } from './live-status-word.js';
import type { RelevanceMessage, RelevanceTask } from './relevance-filter.js';

const task = workerData as RelevanceTask;

// Trees live in native memory that V8 does not see, so it would collect them too late: a worker
// parsing a kernel tree collects garbage itself every few dozen megabytes of source, and lets the
// event loop turn so that the trees' finalizers run.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const COLLECT_EVERY_BYTES = 1024 * 1024;
let parsedSinceCollection = 0;

async function collectIfDue(size: number): Promise<void> {
  parsedSinceCollection += size;
  if (parsedSinceCollection < COLLECT_EVERY_BYTES) return;
  parsedSinceCollection = 0;
  collectGarbage();
  await new Promise((resolve) => setImmediate(resolve));
}

const port = parentPort!; // a worker always has a parent port
const answer = await judgeRelevance(task.paths, task.maxFileSize, task.parseEvery, async (path, parsed, index) => {
  if (parsed) await collectIfDue(statSizeQuietly(path));
  // After each file: a message costs microseconds, a file's parse a millisecond or more.
  port.postMessage({ finishedPaths: index + 1 } satisfies RelevanceMessage);
});
port.postMessage(answer satisfies RelevanceMessage);

function statSizeQuietly(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
