import { isAbsolute, relative, sep } from 'node:path';

/** `/./` or `/../`: paths path.relative would normalise. */
const DOT_SEGMENT = /[\\/]\.\.?(?:[\\/]|$)/;

/** The path users see in reports: relative to the working directory, `/`-separated (as every report format shows them). */
export function toDisplayPath(cwd: string, absolutePath: string): string {
  // The common case, a file below the working directory, without path.relative's normalisation.
  const prefix = cwd.endsWith(sep) ? cwd : cwd + sep;
  const below = absolutePath.startsWith(prefix) && !DOT_SEGMENT.test(absolutePath) ? absolutePath.slice(prefix.length) : undefined;
  const relativePath = below ?? relative(cwd, absolutePath);
  return sep === '/' ? relativePath : relativePath.split(sep).join('/');
}

/** Relative to `cwd` (`/`-separated) when inside it, else absolute: how files an analysis reaches outside the scanned tree (a helper's, a tsconfig) are named. */
export function displayPathInside(cwd: string, absolutePath: string): string {
  const path = relative(cwd, absolutePath);
  return (path.startsWith('..') || isAbsolute(path) ? absolutePath : path).split(sep).join('/');
}
