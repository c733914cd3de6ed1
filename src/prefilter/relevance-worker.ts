/** Worker thread: parses each file and reports those that hold the status word in live code. */
import { readFileSync, statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { parseC } from '../c/parser.js';
import { isRingBlockPath } from '../c/ring-words.js';
import { isInDeadCode } from '../c/tree-walk.js';
import { statusMentionQuery } from '../c/parser.js';
import type { RelevanceTask } from './relevance-filter.js';

const task = workerData as RelevanceTask;

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

parentPort!.postMessage(task.paths.filter(relevant)); // a worker always has a parent port
