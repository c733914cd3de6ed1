/**
 * The package as `npm pack` makes it, packed once per test run for every test that installs it.
 * Packed without scripts: `prepare` would rebuild the working tree, which `npm test` has just built
 * and other test files are running.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { oncePerRun } from './once-per-run.js';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

export function packedTarball(): Promise<string> {
  return oncePerRun('ringlint.tgz', async (tarball) => {
    const destination = await mkdtemp(join(tmpdir(), 'ringlint-pack-'));
    try {
      const { stdout } = await promisify(execFile)('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', destination], { cwd: REPO_ROOT });
      await rename(join(destination, stdout.trim().split('\n').at(-1) ?? ''), tarball);
    } finally {
      await rm(destination, { recursive: true, force: true });
    }
  });
}
