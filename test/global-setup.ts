/**
 * vitest's global setup, for the whole run:
 * - a directory for what the run makes once and shares between test files (package/once-per-run.ts):
 *   the packed tarball, the install other users can run. Readable by every user, since some tests
 *   run the CLI as nobody; removed when the run ends.
 * - a throwaway cache home (XDG_CACHE_HOME, which the test files' processes and every program they
 *   start inherit): a test that names no cache home of its own never reads what scans of other
 *   clones left in the user's ~/.cache/ringlint, nor leaves anything there.
 * When the run ends, the user's cache directory and the build the tests run (dist/, the runtime
 * check's native-check/build/) must be as they were, or the run fails naming what changed: a test
 * that rebuilds must build into a directory of its own, or the files running beside it break.
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

const REPO_ROOT = join(import.meta.dirname, '..');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const watched = [defaultCacheDirectory(), join(REPO_ROOT, 'dist'), join(REPO_ROOT, 'native-check', 'build')];
  const before = snapshot(watched);
  const directory = await mkdtemp(join(tmpdir(), 'ringlint-test-run-'));
  await chmod(directory, 0o755);
  const cacheHome = join(directory, 'cache-home');
  await mkdir(cacheHome, { mode: 0o777 });
  await chmod(cacheHome, 0o777); // some tests run the CLI as nobody
  process.env.XDG_CACHE_HOME = cacheHome;
  project.provide('runDirectory', directory);
  return async () => {
    await rm(directory, { recursive: true, force: true });
    const after = snapshot(watched);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((path) => before.get(path) !== after.get(path));
    if (changed.length > 0) throw new Error(`the tests changed files they must leave alone: ${changed.slice(0, 20).join(', ')}`);
  };
}

/** Every file below `directories` → its size, modification time and inode; nothing for a directory that does not exist. */
function snapshot(directories: readonly string[]): Map<string, string> {
  const entries = new Map<string, string>();
  for (const directory of directories) {
    let names: string[];
    try {
      names = readdirSync(directory, { recursive: true, encoding: 'utf8' });
    } catch {
      continue; // absent: the run must not create it either, which the next snapshot shows
    }
    for (const name of names) {
      const path = join(directory, name);
      const stats = statSync(path, { throwIfNoEntry: false });
      if (stats?.isFile()) entries.set(path, `${stats.size}:${stats.mtimeMs}:${stats.ino}`);
    }
  }
  return entries;
}
