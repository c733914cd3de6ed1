import { readFileSync } from 'node:fs';
import { packagePath } from './package-root.js';

/** The package version; also part of the cache key and shown in JSON/SARIF output. */
export const TOOL_VERSION: string = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
