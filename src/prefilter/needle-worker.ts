/** Worker thread: reads each file's bytes once and reports those the query selects. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { definitionPattern } from './byte-prefilter.js';
import type { NeedleTask } from './worker-engine.js';

const task = workerData as NeedleTask;
const needles = task.query.needles.map((needle) => Buffer.from(needle));
const definitionNames = task.query.definitions.map((name) => Buffer.from(name));
const definitions = task.query.definitions.length > 0 ? new RegExp(definitionPattern(task.query.definitions), 'm') : undefined;
const patterns = (task.query.patterns ?? []).map((pattern) => new RegExp(pattern, 'm'));
let buffer = Buffer.allocUnsafe(1 << 20);

function selects(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return true; // unreadable: the scan reads it again and reports why
  }
  try {
    const size = fstatSync(fd).size;
    if (size > buffer.length) buffer = Buffer.allocUnsafe(size);
    const bytes = buffer.subarray(0, readSync(fd, buffer, 0, size, 0));
    if (bytes.indexOf(0) !== -1) return true; // binary: reported by the scan
    if (needles.some((needle) => bytes.indexOf(needle) !== -1)) return true;
    if (patterns.length > 0 && patterns.some((pattern) => pattern.test(bytes.toString('latin1')))) return true;
    if (!definitions || !definitionNames.some((name) => bytes.indexOf(name) !== -1)) return false;
    return definitions.test(bytes.toString('latin1'));
  } catch {
    return true;
  } finally {
    closeSync(fd);
  }
}

parentPort!.postMessage(task.paths.filter(selects)); // a worker always has a parent port
