/**
 * Rebuilding only ringscan invalidates cached scans: the analyzer fingerprint covers the native
 * binary as well as the compiled JavaScript. Run on a copy of the built package (its own dist/ and
 * ringscan build), so that the rebuild touches nothing other tests use. A hit is told from a miss by
 * a marker written into the cached report, which only a hit can print.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KERNEL_EQUALITY_C, makeTempDir, REPO_ROOT, removeTempDir, writeTree } from '../cli/cli-harness.js';

const run = promisify(execFile);

const MARKER = 'FROM THE CACHE';
const HOUR_AGO = new Date(Date.now() - 3_600_000);

describe('the analyzer fingerprint', { timeout: 60_000 }, () => {
  let dir: string;
  let packageCopy: string;

  beforeAll(async () => {
    dir = await makeTempDir();
    packageCopy = join(dir, 'package');
    for (const path of ['package.json', 'dist', 'src/native/build.sh', 'src/native/ringscan.c']) cpSync(join(REPO_ROOT, path), join(packageCopy, path), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(packageCopy, 'node_modules'));
    await writeTree(join(dir, 'tree'), { 'a.c': KERNEL_EQUALITY_C });
    for (const path of ['tree/a.c', 'tree']) utimesSync(join(dir, path), HOUR_AGO, HOUR_AGO);
    mkdirSync(join(dir, 'cache'));
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  async function scanMessages(): Promise<string[]> {
    // The copy's CLI (exit 1: findings).
    const { stdout } = await run(process.execPath, [join(packageCopy, 'dist', 'src', 'cli', 'main.js'), 'scan', '--format', 'json'], {
      cwd: join(dir, 'tree'), env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') },
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    return (JSON.parse(stdout) as { findings: Array<{ message: string }> }).findings.map((finding) => finding.message);
  }

  function markCachedReports(): void {
    const cacheDir = join(dir, 'cache', 'ringlint');
    for (const name of readdirSync(cacheDir).filter((file) => file.startsWith('scan-') && file.endsWith('.json'))) {
      const cached = JSON.parse(readFileSync(join(cacheDir, name), 'utf8')) as { report: { findings: Array<{ message: string }> } };
      for (const finding of cached.report.findings) finding.message = MARKER;
      writeFileSync(join(cacheDir, name), JSON.stringify(cached));
    }
  }

  it('changes when only ringscan is rebuilt, and a cached scan is not answered', async () => {
    expect(await scanMessages()).not.toContain(MARKER);
    markCachedReports();
    expect(await scanMessages()).toContain(MARKER); // a hit, before the rebuild
    execFileSync('sh', [join(packageCopy, 'src', 'native', 'build.sh')]);
    const afterRebuild = await scanMessages();
    expect(afterRebuild.length).toBeGreaterThan(0);
    expect(afterRebuild).not.toContain(MARKER);
  });
});
