import { relative, sep } from 'node:path';

/** The path users see in reports: relative to the working directory, `/`-separated (DESIGN.md §4). */
export function toDisplayPath(cwd: string, absolutePath: string): string {
  return relative(cwd, absolutePath).split(sep).join('/');
}
