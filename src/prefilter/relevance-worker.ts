/** Worker thread: parses each file and reports those that hold the status word in live code. */
import { readFileSync, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { parseC } from '../c/parser.js';
import { isRingBlockPath } from '../c/ring-words.js';
import { isInDeadCode } from '../c/tree-walk.js';
import { statusMentionQuery } from '../c/parser.js';
import type { RelevanceTask } from './relevance-filter.js';

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

function relevant(path: string): boolean {
  let text: string;
  try {
    if (statSync(path).size > task.maxFileSize) return true; // the scan reports it
    text = readFileSync(path, 'utf8');
  } catch {
    return true; // unreadable: the scan reports why
  }
  if (text.includes('\0')) return true; // binary: the scan reports it
  if (!/\.(c|h)$/i.test(path) && /\.(md|markdown|rst)$/i.test(path)) return true; // documents: fragments decide
  try {
    const tree = parseC(text);
    const mayHaveDeadCode = /#\s*if\s+0/.test(text);
    return statusMentionQuery()
      .captures(tree.rootNode)
      .some(({ name, node }) => {
        if (mayHaveDeadCode && isInDeadCode(node)) return false;
        if (name === 'block_status') return node.parent !== null && isRingBlockPath(node.parent);
        return true;
      });
  } catch {
    return true;
  }
}

const selected: string[] = [];
for (const path of task.paths) {
  if (relevant(path)) selected.push(path);
  await collectIfDue(statSizeQuietly(path));
}
parentPort!.postMessage(selected); // a worker always has a parent port

function statSizeQuietly(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
