import { sep } from 'node:path';

/**
 * True when `path` is `dir` itself or lies below it. Both must be absolute and resolved alike (real
 * paths, or paths from `resolve`): then a prefix test is the answer, without `relative`'s work.
 */
export function isInsideDirectory(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}
