import { resolve } from 'node:path';
import { isInsideDirectory } from '../files/path-inside.js';
import { realPathOrNull } from '../files/real-path.js';
import { sourceKindOf } from '../files/source-kind.js';

/**
 * The files (display paths) a fix may rewrite: C sources whose real path lies inside one of the
 * scanned roots. Documents are never rewritten (a code block is not the code it describes).
 * Synchronous: a handful of paths, and the thread pool may still be busy with the scan's I/O
 * (behind it, three promised realpaths took 20 ms on libpcap).
 */
export function editableFiles(files: Iterable<string>, roots: readonly string[], cwd: string): Set<string> {
  // A root that is gone cannot contain anything.
  const realRoots = roots.flatMap((root) => realPathOrNull(resolve(cwd, root)) ?? []);
  const editable = new Set<string>();
  for (const file of new Set(files)) {
    if (sourceKindOf(file) !== 'c') continue;
    // Unreadable or vanished: not ours to touch.
    const real = realPathOrNull(resolve(cwd, file));
    if (real !== null && realRoots.some((root) => isInsideDirectory(real, root))) editable.add(file);
  }
  return editable;
}
