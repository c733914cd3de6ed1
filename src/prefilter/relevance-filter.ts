/**
 * The second stage of the prefilter, on all cores: worker threads parse the files the byte search
 * selected and keep those whose syntax trees hold the status word in live code. Mentions in
 * comments, in `#if 0`, or a `block_status` field of some unrelated struct (the Linux tree has
 * dozens) cost the main thread nothing. With --no-prefilter, every file goes through this stage.
 */
import { keptByWorkers } from './path-worker-pool.js';

export interface RelevanceTask {
  paths: readonly string[];
  maxFileSize: number;
}

/** Paths whose trees mention the status word, plus any the workers could not judge (the scan reports them). */
export function structurallyRelevant(paths: readonly string[], maxFileSize: number): Promise<Set<string>> {
  return keptByWorkers('./relevance-worker.js', paths, { maxFileSize }, 8);
}
