/**
 * The README's set-up ends with `npx ringlint scan …`: npx runs the package's bin file itself, so
 * the build must leave it executable.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './cli-harness.js';

const { version, bin: { ringlint: binPath } } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: { ringlint: string };
};

// npx resolves the package before running it: seconds on a loaded CI machine.
describe('the ringlint bin', { timeout: 60_000 }, () => {
  it('runs through npx from the repository', () => {
    // The first time, npx installs the project into its own cache to run the project's bin, and runs
    // the project's lifecycle scripts: `prepare` would rebuild dist/ under the tests running beside
    // this one (test/global-setup.ts fails the run for it). Without scripts it runs the build there is.
    const env = { ...process.env, npm_config_ignore_scripts: 'true' };
    const run = spawnSync('npx', ['--no-install', 'ringlint', '--version'], { cwd: REPO_ROOT, env, encoding: 'utf8' });
    expect(run.stderr).not.toMatch(/permission denied/i);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(version);
  });

  it('starts Node without loading NODE_EXTRA_CA_CERTS (it makes no TLS connections)', () => {
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: join(REPO_ROOT, 'no-such-bundle.pem') };
    // Node warns that it cannot load the bundle when it tries; the bin must not make it try.
    const direct = spawnSync(process.execPath, [join(REPO_ROOT, binPath), '--version'], { env, encoding: 'utf8' });
    expect(direct.stderr).toMatch(/Ignoring extra certs/);
    // The file npx runs (npx, itself a Node program, would warn on its own).
    const bin = spawnSync(join(REPO_ROOT, binPath), ['--version'], { env, encoding: 'utf8' });
    expect(bin.stderr).not.toMatch(/Ignoring extra certs/);
    expect(bin.status).toBe(0);
    expect(bin.stdout.trim()).toBe(version);
  });
});
