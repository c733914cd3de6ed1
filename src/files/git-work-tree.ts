import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The top of the git work tree that holds `dir` (`dir` itself or the nearest ancestor with a `.git`); undefined outside any. */
export function gitWorkTreeTop(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return at;
    if (dirname(at) === at) return undefined;
  }
}
