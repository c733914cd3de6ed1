/**
 * What "analyzer version" means for the cache: the package version alone would keep stale results
 * across a rebuild of changed analyzer code, so the built code's stamps (name, size, mtime) are
 * hashed — the compiled JavaScript and ringscan, whose walk and search decide what is scanned — any
 * rebuild changes them, and a cached scan does not read a hundred files to know.
 */
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RINGSCAN_PATH } from '../native/ringscan-binary.js';
import { TOOL_VERSION } from '../version.js';
import { nodeCrypto } from './crypto-on-demand.js';

export function analyzerFingerprint(): string {
  const hash = nodeCrypto().createHash('sha1').update(TOOL_VERSION);
  const compiled = fileURLToPath(new URL('..', import.meta.url));
  const files = compiledFiles(compiled, '').sort();
  for (const file of files) {
    const { size, mtimeMs } = statSync(`${compiled}/${file}`);
    hash.update(`${file}\0${size}\0${mtimeMs}\0`);
  }
  // Built or not, and which build: a scan without it walks and searches otherwise.
  const ringscan = statSync(RINGSCAN_PATH, { throwIfNoEntry: false });
  hash.update(ringscan ? `ringscan\0${ringscan.size}\0${ringscan.mtimeMs}\0` : 'no ringscan\0');
  return `${TOOL_VERSION}+${hash.digest('hex').slice(0, 16)}`;
}

/** The .js files under `dir`, relative to the root walked. By hand: Node 20's recursive readdir is several times slower. */
function compiledFiles(dir: string, relative: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return compiledFiles(`${dir}/${entry.name}`, path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}
