import { relative, isAbsolute } from 'node:path';

/** True when `path` is `dir` itself or lies below it. Both must be absolute and resolved alike. */
export function isInsideDirectory(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
