import { sep } from 'node:path';

/**
 * True when `path` is `dir` itself or lies below it. Both must be absolute and resolved alike (real
 * paths, or paths from `resolve`): then a prefix test is the answer, without `relative`'s work.
 */
export function isInsideDirectory(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** Directories no scan should ever enter, whatever the ignore files say. */
export const ALWAYS_SKIPPED: ReadonlySet<string> = new Set(['.git', 'node_modules']);

/** Whether a path relative to a walked root goes through a directory no walk enters. */
export function isInSkippedDirectory(relativePath: string): boolean {
  return relativePath.split(sep).some((segment) => ALWAYS_SKIPPED.has(segment));
}
