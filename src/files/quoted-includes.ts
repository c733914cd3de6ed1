import { stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { DiscoveredFile } from './discover.js';
import { isInSkippedDirectory, isInsideDirectory } from './path-inside.js';
import { fsPath } from './path-bytes.js';
import { realPathOf } from './real-path.js';

const QUOTED_INCLUDE = /^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"/gm;

/** The names in `#include "…"` lines, in order of appearance. */
export function quotedIncludeNames(text: string): string[] {
  return [...text.matchAll(QUOTED_INCLUDE)].map((match) => match[1] ?? '').filter((name) => name !== '');
}

/**
 * The files a C file includes by quoted path that exist as regular files inside one of the scanned
 * root directories. Resolved relative to the including file, as the preprocessor's first try does;
 * what no walk enters stays out here too.
 */
export async function resolveQuotedIncludes(
  includingPath: string,
  text: string,
  rootDirectories: readonly string[],
  alreadyKnown: (path: string) => boolean = () => false,
): Promise<Array<Pick<DiscoveredFile, 'path' | 'realPath'>>> {
  const found: Array<Pick<DiscoveredFile, 'path' | 'realPath'>> = [];
  for (const name of quotedIncludeNames(text)) {
    const path = resolve(dirname(includingPath), name);
    // Most includes name a header the walk found already: no need to ask the file system.
    if (alreadyKnown(path)) continue;
    let realPath: string;
    try {
      realPath = await realPathOf(path);
      if (!(await stat(fsPath(realPath))).isFile()) continue;
    } catch {
      continue; // a system or generated header that is not here: nothing to add
    }
    const root = rootDirectories.find((candidate) => isInsideDirectory(realPath, candidate));
    if (root === undefined) continue;
    if (isInSkippedDirectory(relative(root, realPath))) continue;
    found.push({ path, realPath });
  }
  return found;
}
