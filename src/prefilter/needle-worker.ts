/** Worker thread: reads each file's bytes once and reports those the query selects. */
import { parentPort, workerData } from 'node:worker_threads';
import { bytesSelectedBy } from './byte-search.js';
import type { NeedleTask } from './worker-engine.js';

const task = workerData as NeedleTask;
parentPort!.postMessage(task.paths.filter(bytesSelectedBy(task.query))); // a worker always has a parent port
