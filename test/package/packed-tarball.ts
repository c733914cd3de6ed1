/**
 * The package as `npm pack` makes it, packed once per test run for every test that installs it:
 * the first to ask packs, under a lock directory, and the others wait for the tarball to appear.
 * Packed without scripts: `prepare` would rebuild the working tree, which `npm test` has just built.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

const WAIT_MS = 120_000;

export async function packedTarball(): Promise<string> {
  const directory = inject('packDirectory');
  if (directory === undefined) throw new Error('no pack directory: run vitest with --config test/vitest.config.ts (npm test does)');
  const tarball = join(directory, 'ringlint.tgz');
  const failure = join(directory, 'failure.txt');
  if (existsSync(tarball)) return tarball;
  try {
    await mkdir(join(directory, 'lock'));
  } catch {
    for (const started = Date.now(); Date.now() - started < WAIT_MS; await new Promise((resolve) => setTimeout(resolve, 100))) {
      if (existsSync(tarball)) return tarball;
      if (existsSync(failure)) throw new Error(`npm pack failed in another test file: ${await readFile(failure, 'utf8')}`);
    }
    throw new Error(`no tarball in ${directory} after ${WAIT_MS} ms`);
  }
  try {
    const { stdout } = await promisify(execFile)('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', directory], { cwd: REPO_ROOT });
    await rename(join(directory, stdout.trim().split('\n').at(-1) ?? ''), tarball);
    return tarball;
  } catch (error) {
    await writeFile(failure, String(error));
    throw error;
  }
}
