/**
 * vitest's global setup: a directory for this run's packed tarball (packed-tarball.ts packs into it
 * on first use, so a run that needs no tarball packs none), removed when the run ends.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    packDirectory: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const directory = await mkdtemp(join(tmpdir(), 'ringlint-pack-'));
  project.provide('packDirectory', directory);
  return () => rm(directory, { recursive: true, force: true });
}
