/**
 * The README's set-up ends with `npx ringlint scan …`: npx runs the package's bin file itself, so
 * the build must leave it executable.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './cli-harness.js';

// npx resolves the package before running it: seconds on a loaded CI machine.
describe('the ringlint bin', { timeout: 60_000 }, () => {
  it('runs through npx from the repository', () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = spawnSync('npx', ['--no-install', 'ringlint', '--version'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(run.stderr).not.toMatch(/permission denied/i);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(version);
  });
});
