/**
 * Which lines of the analysed texts (the working tree, or what is staged) differ from the merge
 * base: lines added or changed in tracked files, every line of files the base does not have (new and
 * untracked files), every line of every file when there is no base (a first commit). Lines that were
 * only deleted leave nothing to point at in the new text, so they mark nothing.
 */
import { resolve } from 'node:path';
import { diffLines } from 'diff';
import { toDisplayPath } from '../files/display-path.js';
import { compilerLineEnds } from '../files/line-ends.js';
import { blobObjectName, readBlobs, treeBlobs } from './git.js';

export interface ChangedLines {
  /** Whether `line` (1-based) of `file` (display path) is new or changed. */
  isChanged(file: string, line: number): boolean;
  /** Display paths of the files with changes. */
  changedFiles(): string[];
}

export async function changedLines(
  texts: ReadonlyMap<string, string>,
  options: { root: string; cwd: string; baseCommit: string | undefined },
): Promise<ChangedLines> {
  const blobs = options.baseCommit === undefined ? new Map<string, string>() : await treeBlobs(options.baseCommit, options.root);
  const changes = new Map<string, 'whole-file' | Set<number>>();
  /** The texts that differ from their base blob, by its object name (files with the same content share one). */
  const changedFromBase = new Map<string, Array<[file: string, text: string]>>();
  for (const [file, text] of texts) {
    // The repository's paths are display paths with the root as the working directory.
    const gitPath = toDisplayPath(options.root, resolve(options.cwd, file));
    const base = blobs.get(gitPath);
    if (base === undefined) changes.set(file, 'whole-file');
    else if (blobObjectName(Buffer.from(text, 'utf8'), base) !== base) changedFromBase.set(base, [...(changedFromBase.get(base) ?? []), [file, text]]);
  }
  await readBlobs([...changedFromBase.keys()], options.root, (oid, content) => {
    // Lines counted as in the analysed text (files/line-ends.ts).
    const baseText = compilerLineEnds(content.toString('utf8'));
    for (const [file, text] of changedFromBase.get(oid) ?? []) {
      const lines = addedLines(baseText, text);
      if (lines.size > 0) changes.set(file, lines);
    }
  });
  return {
    isChanged: (file, line) => {
      const change = changes.get(file);
      return change === 'whole-file' || (change !== undefined && change.has(line));
    },
    changedFiles: () => [...changes.keys()].sort(),
  };
}

function addedLines(before: string, after: string): Set<number> {
  const lines = new Set<number>();
  let line = 1;
  for (const part of diffLines(before, after, { stripTrailingCr: true })) {
    if (part.removed) continue;
    if (part.added) for (let offset = 0; offset < part.count; offset++) lines.add(line + offset);
    line += part.count;
  }
  return lines;
}
