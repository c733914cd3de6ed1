import { readFileSync } from 'node:fs';

const manifest = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

/** The package version; also keys caches and appears in JSON/SARIF output. */
export const TOOL_VERSION: string = manifest.version;
