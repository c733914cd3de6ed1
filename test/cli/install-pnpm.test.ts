/**
 * pnpm 10 installs the packed tarball with every build script blocked (its default): tree-sitter's
 * native module is not built, and its prebuilt binary needs a newer libstdc++ than Debian 12 has.
 * The scan must still work, parsing with WebAssembly, and the project must hold one tree-sitter.
 * pnpm comes from the npm registry through npx and keeps packages in its own store, so the first
 * run on a machine downloads them; later runs install from the store.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readdirSync, realpathSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packedTarball, REPO_ROOT } from '../package/packed-tarball.js';
import { KERNEL_EQUALITY_C, makeTempDir, removeTempDir, writeTree } from './cli-harness.js';

const PNPM = 'pnpm@10.34.9';

/** Whether tree-sitter's prebuilt binary loads on this machine (it needs GLIBCXX_3.4.31). */
function prebuiltTreeSitterLoads(): boolean {
  try {
    createRequire(import.meta.url)(join(REPO_ROOT, 'node_modules', '@ringlint', 'tree-sitter', 'prebuilds', `${process.platform}-${process.arch}`, 'tree-sitter.node'));
    return true;
  } catch {
    return false;
  }
}

describe('pnpm 10 install of the package, build scripts blocked', { timeout: 120_000 }, () => {
  let dir: string;
  let project: string;
  let install: { stdout: string };

  beforeAll(async () => {
    dir = await makeTempDir();
    project = join(dir, 'project');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'ring-consumer', private: true }));
    // Without the npm_config_* variables `npm test` sets: pnpm reads them as its own settings.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
    install = await promisify(execFile)('npx', ['--yes', '--prefer-offline', PNPM, 'add', '--prefer-offline', await packedTarball()], { cwd: project, env });
  }, 180_000);
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('blocks the build scripts and installs one tree-sitter', () => {
    expect(install.stdout).toMatch(/Ignored build scripts: .*tree-sitter@0\.25\.1/s);
    const store = readdirSync(join(project, 'node_modules', '.pnpm'));
    expect(store.filter((name) => /^tree-sitter@/.test(name))).toEqual(['tree-sitter@0.25.1']);
    expect(store.filter((name) => /^tree-sitter-cpp@/.test(name))).toEqual(['tree-sitter-cpp@0.23.4']);
    // tree-sitter-cpp depends on the tree-sitter-c its grammar was generated from (^0.23.1); ringlint
    // parses C with its own 0.24.1, and tree-sitter-cpp's binding never loads the other.
    const grammarsOfC = store.filter((name) => /^tree-sitter-c@/.test(name));
    expect(grammarsOfC).toContain('tree-sitter-c@0.24.1');
    expect(grammarsOfC.filter((name) => name !== 'tree-sitter-c@0.24.1')).toEqual([expect.stringMatching(/^tree-sitter-c@0\.23\./)]);
    const ringlint = realpathSync(join(project, 'node_modules', 'ringlint'));
    expect(createRequire(join(ringlint, 'package.json')).resolve('tree-sitter-c/package.json')).toContain('tree-sitter-c@0.24.1');
  });

  it('scans with WebAssembly when the prebuilt binary does not load, and reports the finding', async () => {
    await writeTree(join(project, 'src'), { 'consumer.c': KERNEL_EQUALITY_C });
    const scan = spawnSync(join(project, 'node_modules', '.bin', 'ringlint'), ['scan', '--format', 'json', 'src'], {
      cwd: project,
      env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') },
      encoding: 'utf8',
    });
    expect(scan.status, scan.stderr).toBe(1);
    const report = JSON.parse(scan.stdout) as { findings: Array<{ ruleId: string; file: string }> };
    expect(report.findings.map((finding) => `${finding.ruleId} ${finding.file}`)).toEqual(['RL001 src/consumer.c']);
    expect(scan.stderr).toBe(
      prebuiltTreeSitterLoads()
        ? ''
        : "ringlint: note: parsing C with tree-sitter's WebAssembly build: its native module does not load here (libstdc++.so.6: version `GLIBCXX_3.4.31' not found)\n",
    );
  });
});
