/**
 * `npm install` of the packed tarball into a fresh project on a machine without a compiler: a PATH
 * that holds node, npm, sh and dirname and nothing else (no cc, gcc, g++, make, python3). npm runs
 * the install scripts as it does for users: tree-sitter's native build fails, and as an optional
 * dependency it is dropped instead of failing the install; ringscan is not built. The scan then
 * parses with WebAssembly, says so in one line, and finds what it finds natively. Offline: npm's
 * cache holds every dependency (this repository's own install put them there).
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packedTarball } from '../package/packed-tarball.js';
import { KERNEL_EQUALITY_C, makeTempDir, removeTempDir, writeTree } from './cli-harness.js';

const run = promisify(execFile);

/** The directory of a command on this machine's PATH. */
function located(command: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  if (found.status !== 0) throw new Error(`${command} is not on PATH`);
  return found.stdout.trim();
}

/** Names of the packages installed below `modules`, at any depth, with their versions. */
function installedPackages(modules: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dirs = entry.name.startsWith('@') ? readdirSync(join(modules, entry.name)).map((name) => join(modules, entry.name, name)) : [join(modules, entry.name)];
    for (const dir of dirs) {
      const manifest = join(dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; version: string };
      found.push(`${name}@${version}`);
      if (existsSync(join(dir, 'node_modules'))) found.push(...installedPackages(join(dir, 'node_modules')));
    }
  }
  return found;
}

describe('npm install of the package on a machine without a compiler', { timeout: 120_000 }, () => {
  let dir: string;
  let project: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = await makeTempDir();
    const bin = join(dir, 'bin');
    await mkdir(bin);
    for (const command of ['node', 'npm', 'npx', 'sh', 'dirname']) symlinkSync(located(command), join(bin, command));
    env = { HOME: process.env.HOME, PATH: bin, XDG_CACHE_HOME: join(dir, 'cache') };
    project = join(dir, 'project');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'ring-consumer', private: true }));
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', await packedTarball()], { cwd: project, env });
  }, 180_000);
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('has no compiler and no Python to build with', () => {
    const present = ['cc', 'gcc', 'g++', 'c++', 'clang', 'make', 'python3', 'python'].filter(
      (command) => spawnSync(join(dir, 'bin', 'sh'), ['-c', `command -v ${command}`], { env }).status === 0,
    );
    expect(present).toEqual([]);
  });

  it('installs one tree-sitter, the runtime ringlint needs, and drops it when it cannot be built', async () => {
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, { name?: string; version?: string }> };
    const resolved = Object.entries(lock.packages)
      .filter(([path, entry]) => (entry.name ?? path.split('node_modules/').at(-1)) === 'tree-sitter')
      .map(([path, entry]) => `${path} ${entry.version}`);
    expect(resolved).toEqual(['node_modules/@ringlint/tree-sitter 0.25.1']);
    expect(installedPackages(join(project, 'node_modules')).filter((name) => name.startsWith('tree-sitter@'))).toEqual([]);
    // Nothing invalid, missing or extraneous in the installed tree.
    await run('npm', ['ls', '--all'], { cwd: project, env });
  });

  it('scans with WebAssembly, says so in one line, and reports the finding', async () => {
    expect(existsSync(join(project, 'node_modules', 'ringlint', 'dist', 'native', 'ringscan'))).toBe(false);
    await writeTree(join(project, 'src'), { 'consumer.c': KERNEL_EQUALITY_C });
    const scan = spawnSync(join(project, 'node_modules', '.bin', 'ringlint'), ['scan', '--format', 'json', 'src'], { cwd: project, env, encoding: 'utf8' });
    expect(scan.status, scan.stderr).toBe(1);
    const report = JSON.parse(scan.stdout) as { findings: Array<{ ruleId: string; file: string }> };
    expect(report.findings.map((finding) => `${finding.ruleId} ${finding.file}`)).toEqual(['RL001 src/consumer.c']);
    expect(scan.stderr).toBe("ringlint: note: parsing C with tree-sitter's WebAssembly build: its native module does not load here (not installed)\n");
  });
});
