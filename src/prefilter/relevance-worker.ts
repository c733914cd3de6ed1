/** Worker thread: parses each file and reports those that hold the status word in live code. */
import { readFileSync, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { parseC, type SyntaxNode } from '../c/parser.js';
import { STATUS_NEEDLES } from './byte-prefilter.js';
import { isRingBlockPath } from '../c/ring-words.js';
import { isInDeadCode } from '../c/tree-walk.js';
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
  if (/\.(md|markdown|rst)$/i.test(path)) return true; // documents: their fragments decide
  try {
    const root = parseC(text).rootNode;
    const mayHaveDeadCode = /#\s*if\s+0/.test(text);
    // Asking the tree about each mention is far cheaper than querying every identifier of the file.
    for (const needle of STATUS_NEEDLES) {
      for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
        const node = root.descendantForIndex(at);
        if (mayHaveDeadCode && isInDeadCode(node)) continue;
        if (mentionsStatus(node)) return true;
      }
    }
    return false;
  } catch {
    return true;
  }
}

/** A field, a TP_STATUS_* name, or a macro body (kept as text by tree-sitter); not a comment or a string. */
function mentionsStatus(node: SyntaxNode): boolean {
  switch (node.type) {
    case 'field_identifier':
      if (node.text === 'tp_status') return true;
      return node.text === 'block_status' && node.parent !== null && isRingBlockPath(node.parent);
    case 'identifier':
      return node.text.startsWith('TP_STATUS_');
    case 'preproc_arg':
      return true;
    default:
      return false;
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
