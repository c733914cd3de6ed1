/**
 * vitest's global setup, for the whole run:
 * - a directory for what the run makes once and shares between test files (package/once-per-run.ts):
 *   the packed tarball, the install other users can run. Readable by every user, since some tests
 *   run the CLI as nobody; removed when the run ends.
 * - a throwaway cache home (XDG_CACHE_HOME, which the test files' processes and every program they
 *   start inherit): a test that names no cache home of its own never reads what scans of other
 *   clones left in the user's ~/.cache/ringlint, nor leaves anything there. When the run ends, the
 *   user's cache directory must be as it was, or the run fails naming what changed.
 */
import { readdirSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { defaultCacheDirectory } from '../src/cache/scan-cache.js';

declare module 'vitest' {
  export interface ProvidedContext {
    runDirectory: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const usersCache = defaultCacheDirectory();
  const before = snapshot(usersCache);
  const directory = await mkdtemp(join(tmpdir(), 'ringlint-test-run-'));
  await chmod(directory, 0o755);
  const cacheHome = join(directory, 'cache-home');
  await mkdir(cacheHome, { mode: 0o777 });
  await chmod(cacheHome, 0o777); // some tests run the CLI as nobody
  process.env.XDG_CACHE_HOME = cacheHome;
  project.provide('runDirectory', directory);
  return async () => {
    await rm(directory, { recursive: true, force: true });
    const after = snapshot(usersCache);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((name) => before.get(name) !== after.get(name));
    if (changed.length > 0) throw new Error(`the tests changed the user's cache directory ${usersCache}: ${changed.join(', ')}`);
  };
}

/** Each entry's name → its size and modification time; empty when the directory does not exist. */
function snapshot(directory: string): Map<string, string> {
  const entries = new Map<string, string>();
  try {
    for (const name of readdirSync(directory)) {
      const stats = statSync(join(directory, name));
      entries.set(name, `${stats.size}:${stats.mtimeMs}`);
    }
  } catch {
    // absent or unreadable: nothing the run could have changed in it unnoticed
  }
  return entries;
}
