import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isInsideDirectory } from '../files/path-inside.js';
import { sourceKindOf } from '../files/source-kind.js';

/**
 * The files (display paths) a fix may rewrite: C sources whose real path lies inside one of the
 * scanned roots. Documents are never rewritten (a code block is not the code it describes).
 */
export async function editableFiles(files: Iterable<string>, roots: readonly string[], cwd: string): Promise<Set<string>> {
  const realRoots: string[] = [];
  for (const root of roots) {
    try {
      realRoots.push(await realpath(resolve(cwd, root)));
    } catch {
      // A root that is gone cannot contain anything.
    }
  }
  const editable = new Set<string>();
  for (const file of new Set(files)) {
    if (sourceKindOf(file) !== 'c') continue;
    try {
      const real = await realpath(resolve(cwd, file));
      if (realRoots.some((root) => isInsideDirectory(real, root))) editable.add(file);
    } catch {
      // Unreadable or vanished: not ours to touch.
    }
  }
  return editable;
}
