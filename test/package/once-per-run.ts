/**
 * Something the test run makes once for every test file that asks (the packed tarball, the install
 * other users can run), in the run's directory (test/global-setup.ts): the first file to ask makes
 * it under a lock directory and renames it into place, the others wait for it to appear. A failure
 * is left for the waiting files to report instead of their own timeout.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inject } from 'vitest';

const WAIT_MS = 120_000;

/** The path of `name` in the run's directory, made by `make(path)` (into a scratch path it renames) on first use. */
export async function oncePerRun(name: string, make: (path: string) => Promise<void>): Promise<string> {
  const directory = inject('runDirectory');
  if (directory === undefined) throw new Error('no run directory: run vitest with --config test/vitest.config.ts (npm test does)');
  const made = join(directory, name);
  const failure = join(directory, `${name}.failure`);
  if (existsSync(made)) return made;
  try {
    await mkdir(join(directory, `${name}.lock`));
  } catch {
    for (const started = Date.now(); Date.now() - started < WAIT_MS; await new Promise((resolve) => setTimeout(resolve, 100))) {
      if (existsSync(made)) return made;
      if (existsSync(failure)) throw new Error(`making ${name} failed in another test file: ${await readFile(failure, 'utf8')}`);
    }
    throw new Error(`no ${name} in ${directory} after ${WAIT_MS} ms`);
  }
  const scratch = join(directory, `${name}.partial`);
  try {
    await make(scratch);
    await rename(scratch, made);
    return made;
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    await writeFile(failure, String(error));
    throw error;
  }
}
