import { existsSync, readFileSync } from 'node:fs';

/** The package manifest, from dist/src (built) or src (tests that import the sources). */
function manifestUrl(): URL {
  for (const candidate of ['../../package.json', '../package.json']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(url)) return url;
  }
  throw new Error('ringlint: package.json not found next to the code');
}

/** The package version; also part of the cache key and shown in JSON/SARIF output. */
export const TOOL_VERSION: string = (JSON.parse(readFileSync(manifestUrl(), 'utf8')) as { version: string }).version;
