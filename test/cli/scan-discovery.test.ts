import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BINARY_PROBE, KERNEL_EQUALITY_C, PLAIN_C, makeTempDir, removeTempDir, runCli, scanJson, writeTree, type CliRunOptions, type JsonReport } from './cli-harness.js';

/** Binary probes surface as error entries, so the errors list shows which paths the scan discovered. */
function erroredFiles(report: { errors: Array<{ file: string }> }): string[] {
  return report.errors.map((error) => error.file).sort();
}

/** A scan of probes only: every file it discovers fails, so it analysed nothing and exits 2, after its report. */
async function probeScan(args: readonly string[], options: CliRunOptions): Promise<{ report: JsonReport }> {
  const run = await runCli(['scan', '--format', 'json', ...args], options);
  if (run.code !== 2 || !run.stderr.startsWith('ringlint: nothing analysed')) throw new Error(`scan exited ${run.code}: ${run.stderr}`);
  return { report: JSON.parse(run.stdout) as JsonReport };
}

describe('ringlint scan file discovery', { timeout: 30_000 }, () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  it('honours root and nested .gitignore files and never enters .git or node_modules', async () => {
    await writeTree(dir, {
      '.gitignore': 'build/\n*.gen.c\n',
      'build/out.c': BINARY_PROBE,
      'api.gen.c': BINARY_PROBE,
      'lib/.gitignore': 'local.c\n!keep.gen.c\n',
      'lib/local.c': BINARY_PROBE,
      'lib/keep.gen.c': BINARY_PROBE,
      'lib/scanned.c': BINARY_PROBE,
      '.git/hooks/probe.c': BINARY_PROBE,
      '.git/info/exclude': 'excluded.c\n',
      'excluded.c': BINARY_PROBE,
      'node_modules/pkg/probe.c': BINARY_PROBE,
      'docs/notes.txt': BINARY_PROBE,
    });
    const { report } = await probeScan([], { cwd: dir });
    expect(erroredFiles(report)).toEqual(['lib/keep.gen.c', 'lib/scanned.c']);
    expect(report.filesScanned).toBe(2);
  });

  it('applies the repository .gitignore when scanning a subdirectory', async () => {
    await writeTree(dir, { '.gitignore': 'generated/\n', 'src/generated/x.c': BINARY_PROBE, 'src/y.c': BINARY_PROBE });
    await mkdir(join(dir, '.git'));
    const { report } = await probeScan(['src'], { cwd: dir });
    expect(erroredFiles(report)).toEqual(['src/y.c']);
  });

  it('scans a file or directory named on the command line even when it is ignored', async () => {
    await writeTree(dir, {
      '.gitignore': '*.c\nbuild/\n',
      'named.c': BINARY_PROBE,
      'build/.gitignore': 'skip/\n',
      'build/gen.h': BINARY_PROBE,
      'build/skip/x.h': BINARY_PROBE,
    });
    await mkdir(join(dir, '.git'));
    const { report } = await probeScan(['named.c', 'build'], { cwd: dir });
    expect(erroredFiles(report)).toEqual(['build/gen.h', 'named.c']);
  });

  it('does not follow a symlink out of the scanned root', async () => {
    const outside = await makeTempDir();
    try {
      await writeTree(outside, { 'elsewhere.c': BINARY_PROBE, 'tree/deep.c': BINARY_PROBE });
      await writeTree(dir, { 'root/own.c': PLAIN_C });
      await symlink(join(outside, 'elsewhere.c'), join(dir, 'root', 'link.c'));
      await symlink(join(outside, 'tree'), join(dir, 'root', 'linked-tree'));
      const { report } = await scanJson(['root'], { cwd: dir });
      expect(report.errors).toEqual([]);
      expect(report.filesScanned).toBe(1);
    } finally {
      await removeTempDir(outside);
    }
  });

  it('scans a file reached through an in-root symlink once, under its own name', async () => {
    await writeTree(dir, { 'real/probe.c': BINARY_PROBE });
    await symlink('real/probe.c', join(dir, 'alias.c'));
    await symlink('real', join(dir, 'again'));
    const { report } = await probeScan([], { cwd: dir });
    expect(report.errors).toEqual([{ file: 'real/probe.c', message: 'binary file, skipped' }]);
    expect(report.filesScanned).toBe(1);
  });

  it('reports symlink loops as per-file errors instead of following them', async () => {
    await writeTree(dir, { 'src/ok.c': PLAIN_C });
    await symlink('loop-b.c', join(dir, 'src', 'loop-a.c'));
    await symlink('loop-a.c', join(dir, 'src', 'loop-b.c'));
    await symlink('..', join(dir, 'src', 'parent'));
    const { run, report } = await scanJson([], { cwd: dir });
    expect(run.code).toBe(0);
    expect(report.errors).toEqual([
      { file: 'src/loop-a.c', message: 'symlink loop (ELOOP), not followed' },
      { file: 'src/loop-b.c', message: 'symlink loop (ELOOP), not followed' },
      { file: 'src/parent', message: 'symlink loop (points to an enclosing directory), not followed' },
    ]);
  });

  it('analyses a file included by quoted path as C, whatever its extension', async () => {
    await writeTree(dir, {
      'main.c': '#include "ring/consume.inc"\n#include <stdio.h>\n#include "absent.h"\nint main(void) { return 0; }\n',
      'ring/consume.inc': KERNEL_EQUALITY_C,
      'ring/unused.inc': BINARY_PROBE,
    });
    const { report } = await scanJson([], { cwd: dir });
    expect(report.filesScanned).toBe(2);
    expect(report.errors).toEqual([]);
    expect(report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`)).toContain(
      'ring/consume.inc:2 RL001',
    );
  });

  it('does not pull in an included file outside the scanned roots', async () => {
    await writeTree(dir, { 'app/main.c': '#include "../vendor/ring.inc"\n', 'vendor/ring.inc': BINARY_PROBE });
    const { report } = await scanJson(['app'], { cwd: dir });
    expect(report.errors).toEqual([]);
    expect(report.filesScanned).toBe(1);
  });
});
