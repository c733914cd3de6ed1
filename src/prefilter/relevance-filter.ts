/**
 * The second stage of the prefilter, on all cores: worker threads parse the files the byte search
 * selected and keep those whose syntax trees hold the status word in live code. Mentions in
 * comments, in `#if 0`, or a `block_status` field of some unrelated struct (the Linux tree has
 * dozens) cost the main thread nothing; most look-alikes are told from their bytes, unparsed. With
 * --no-prefilter, every file goes through this stage and is parsed. A few files are judged in the
 * main thread: a worker's start-up, loading tree-sitter, costs more.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface RelevanceTask {
  paths: readonly string[];
  maxFileSize: number;
  /** --no-prefilter: every file is parsed, none turned away by its bytes. */
  parseEvery: boolean;
}

/** A worker's answer: the paths it kept, and those it parsed to decide. */
export interface RelevanceAnswer {
  kept: string[];
  parsed: string[];
}

/**
 * What a worker posts: after each path, how many of its paths it has finished (a scan's progress
 * display would otherwise stand at 0 for the whole stage, minutes on a large tree with
 * --no-prefilter), and its answer at the end.
 */
export type RelevanceMessage = { finishedPaths: number } | RelevanceAnswer;

const IN_PROCESS_AT_MOST = 64;
const MINIMUM_SHARE = 8;

/**
 * `kept`: paths whose trees mention the status word, plus any that could not be judged (the scan
 * reports them); `parsed`: those a tree was built for. `onProgress` hears how many paths are judged.
 */
export async function structurallyRelevant(
  paths: readonly string[], maxFileSize: number, parseEvery: boolean, onProgress?: (judged: number) => void,
): Promise<{ kept: Set<string>; parsed: Set<string> }> {
  let answers: RelevanceAnswer[];
  if (paths.length > IN_PROCESS_AT_MOST) {
    answers = await answersOfWorkers(paths, { maxFileSize, parseEvery }, onProgress);
  } else {
    const { judgeRelevance } = await import('./live-status-word.js');
    answers = [await judgeRelevance(paths, maxFileSize, parseEvery)];
    onProgress?.(paths.length);
  }
  return { kept: new Set(answers.flatMap((answer) => answer.kept)), parsed: new Set(answers.flatMap((answer) => answer.parsed)) };
}

/**
 * Runs relevance-worker.ts on interleaved shares of `paths` — interleaved so that one big directory
 * does not land on one thread — of at least MINIMUM_SHARE paths each.
 */
async function answersOfWorkers(
  paths: readonly string[], options: Omit<RelevanceTask, 'paths'>, onProgress?: (judged: number) => void,
): Promise<RelevanceAnswer[]> {
  const count = Math.max(1, Math.min(availableParallelism(), Math.ceil(paths.length / MINIMUM_SHARE)));
  const shares: string[][] = Array.from({ length: count }, () => []);
  paths.forEach((path, index) => shares[index % count]!.push(path)); // index % count < count
  const finished = new Array<number>(count).fill(0);
  return Promise.all(shares.map((share, index) => new Promise<RelevanceAnswer>((resolve, reject) => {
    const task: RelevanceTask = { ...options, paths: share };
    const worker = new Worker(new URL('./relevance-worker.js', import.meta.url), { workerData: task });
    worker.on('message', (message: RelevanceMessage) => {
      if ('kept' in message) return resolve(message);
      finished[index] = message.finishedPaths;
      onProgress?.(finished.reduce((sum, each) => sum + each, 0));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`relevance-worker.js exited with ${code}`));
    });
  })));
}
