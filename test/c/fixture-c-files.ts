import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The C sources and headers under `dir`, at any depth. */
export function cFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return cFiles(path);
    return /\.[ch]$/.test(entry.name) ? [path] : [];
  });
}
