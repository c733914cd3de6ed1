/** The prefilter without ripgrep: files split across worker threads that search raw bytes. */
import type { PrefilterQuery } from './byte-prefilter.js';
import { keptByWorkers } from './path-worker-pool.js';

export interface NeedleTask {
  paths: readonly string[];
  query: PrefilterQuery;
}

export function searchWithWorkers(paths: readonly string[], query: PrefilterQuery): Promise<Set<string>> {
  return keptByWorkers('./needle-worker.js', paths, { query }, 256);
}
