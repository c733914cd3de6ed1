/**
 * The second stage of the prefilter, on all cores: worker threads parse the files the byte search
 * selected and keep those whose syntax trees hold the status word in live code. Mentions in
 * comments, in `#if 0`, or a `block_status` field of some unrelated struct (the Linux tree has
 * dozens) cost the main thread nothing; most look-alikes are told from their bytes, unparsed. With
 * --no-prefilter, every file goes through this stage and is parsed. A few files are judged in the
 * main thread: a worker's start-up, loading tree-sitter, costs more.
 */
import { answersOfWorkers } from './path-worker-pool.js';

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

const IN_PROCESS_AT_MOST = 64;

/**
 * `kept`: paths whose trees mention the status word, plus any that could not be judged (the scan
 * reports them); `parsed`: those a tree was built for. `onProgress` hears how many paths are judged.
 */
export async function structurallyRelevant(
  paths: readonly string[], maxFileSize: number, parseEvery: boolean, onProgress?: (judged: number) => void,
): Promise<{ kept: Set<string>; parsed: Set<string> }> {
  let answers: RelevanceAnswer[];
  if (paths.length > IN_PROCESS_AT_MOST) {
    answers = await answersOfWorkers<Omit<RelevanceTask, 'paths'>, RelevanceAnswer>('./relevance-worker.js', paths, { maxFileSize, parseEvery }, 8, onProgress);
  } else {
    const { judgeRelevance } = await import('./live-status-word.js');
    answers = [judgeRelevance(paths, maxFileSize, parseEvery)];
    onProgress?.(paths.length);
  }
  return { kept: new Set(answers.flatMap((answer) => answer.kept)), parsed: new Set(answers.flatMap((answer) => answer.parsed)) };
}
