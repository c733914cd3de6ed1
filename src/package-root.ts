/**
 * Files that ship beside the code (the manifest, the rule documents, the config schema, the native
 * builds), found from the package root. This module runs from src/ (tests) and from dist/src/ (the
 * CLI, an installed package), so the root is the first directory above it with a package.json.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packagePath(...segments: string[]): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, ...segments);
  }
  throw new Error('ringlint: no package.json above the code: the package is incomplete');
}
