import { lstatSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fsPath } from '../files/path-bytes.js';
import { isInsideDirectory } from '../files/path-inside.js';
import { realPathOrNull } from '../files/real-path.js';
import { languageOf } from '../files/source-kind.js';

export interface EditableFiles {
  /** Display path → the real path a fix writes to (a symbolic link is never replaced, its target is written). */
  realPaths: Map<string, string>;
  /** C sources a fix may not touch, and why: their real path, reached through a symbolic link, is outside the roots. */
  refused: Map<string, string>;
}

/**
 * The files (display paths) a fix may rewrite: sources of languages `--fix` rewrites (their rows
 * say: C, C++, TypeScript/JavaScript) whose real path lies inside one of the
 * scanned roots. A root directory counts by its real path; a root file only when it is not itself a
 * symbolic link (naming a link does not vouch for where it points: `git ls-files` names committed
 * links). Documents are never rewritten (a code block is not the code it describes).
 * Synchronous: a handful of paths, and the thread pool may still be busy with the scan's I/O,
 * behind which promised realpaths would queue.
 */
export function editableFiles(files: Iterable<string>, roots: readonly string[], cwd: string): EditableFiles {
  const rootDirectories: string[] = [];
  const rootFiles = new Set<string>();
  for (const root of roots) {
    const path = resolve(cwd, root);
    // A root that is gone cannot contain anything.
    const real = realPathOrNull(path);
    if (real === null) continue;
    if (statSync(fsPath(real), { throwIfNoEntry: false })?.isDirectory()) rootDirectories.push(real);
    else if (lstatSync(fsPath(path), { throwIfNoEntry: false })?.isSymbolicLink() === false) rootFiles.add(real);
  }
  const editable: EditableFiles = { realPaths: new Map(), refused: new Map() };
  for (const file of new Set(files)) {
    if (!languageOf(file)?.cliFixes) continue;
    const real = realPathOrNull(resolve(cwd, file));
    if (real === null) continue; // unreadable or vanished: not ours to touch
    if (rootFiles.has(real) || rootDirectories.some((root) => isInsideDirectory(real, root))) {
      editable.realPaths.set(file, real);
      continue;
    }
    const isLink = lstatSync(fsPath(resolve(cwd, file)), { throwIfNoEntry: false })?.isSymbolicLink() === true;
    const where = isLink ? `a symbolic link to ${real}, outside the scanned roots` : `its real path ${real} is outside the scanned roots`;
    editable.refused.set(file, `fix not applied: ${where}`);
  }
  return editable;
}
