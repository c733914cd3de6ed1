/**
 * The second stage of the prefilter, on all cores: worker threads parse the files the byte search
 * selected and keep those whose syntax trees hold the status word in live code. Mentions in
 * comments, in `#if 0`, or a `block_status` field of some unrelated struct (the Linux tree has
 * dozens) cost the main thread nothing. With --no-prefilter, every file goes through this stage.
 * A few files are judged in the main thread: a worker's start-up, loading tree-sitter, costs more.
 */
import { keptByWorkers } from './path-worker-pool.js';

export interface RelevanceTask {
  paths: readonly string[];
  maxFileSize: number;
  /** --no-prefilter: every file is parsed, none turned away by its bytes. */
  parseEvery: boolean;
}

const IN_PROCESS_AT_MOST = 64;

/** Paths whose trees mention the status word, plus any that could not be judged (the scan reports them). */
export async function structurallyRelevant(paths: readonly string[], maxFileSize: number, parseEvery: boolean): Promise<Set<string>> {
  if (paths.length > IN_PROCESS_AT_MOST) return keptByWorkers('./relevance-worker.js', paths, { maxFileSize, parseEvery }, 8);
  const { holdsStatusWordInLiveCode } = await import('./live-status-word.js');
  return new Set(paths.filter((path) => holdsStatusWordInLiveCode(path, maxFileSize, parseEvery)));
}
