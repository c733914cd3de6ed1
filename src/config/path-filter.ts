import { createRequire } from 'node:module';
import { relative, resolve, sep } from 'node:path';
import type picomatchFunction from 'picomatch';
import type { LoadedConfig } from './config-file.js';

/** Whether findings in a file (display path, relative to `cwd`) are reported under the config's include/exclude globs. */
export function reportedPathFilter(loaded: LoadedConfig | undefined, cwd: string): (displayPath: string) => boolean {
  const include = loaded?.config.include;
  const exclude = loaded?.config.exclude;
  if (!loaded || ((!include || include.length === 0) && (!exclude || exclude.length === 0))) return () => true;
  // picomatch is loaded only for a config with globs: most scans have none, and a cached scan should
  // not pay for it. It is CommonJS, so require() loads it here without making this filter async.
  const picomatch = createRequire(import.meta.url)('picomatch') as typeof picomatchFunction;
  const base = resolve(loaded.path, '..');
  const included = include && include.length > 0 ? picomatch(include, { dot: true }) : () => true;
  const excluded = exclude && exclude.length > 0 ? picomatch(exclude, { dot: true }) : () => false;
  return (displayPath) => {
    const path = relative(base, resolve(cwd, displayPath)).split(sep).join('/');
    return included(path) && !excluded(path);
  };
}
