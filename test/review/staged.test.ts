/**
 * `review --staged`, what the pre-commit hook runs: the index is judged against HEAD, whatever the
 * working tree holds besides (untracked files, unstaged edits in either direction).
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KERNEL_EQUALITY_C, PLAIN_C, makeTempDir, removeTempDir, runCli, writeTree, type CliRun, type JsonReport } from '../cli/cli-harness.js';
import { commitAll, git, isolatedCache } from './git-harness.js';

interface StagedJson extends JsonReport {
  review: { base: string; mergeBase: string | null; staged: boolean; changedFiles: string[] };
}

/** The bit test RL001 asks for: the same function, clean. */
const USER_BIT_C = KERNEL_EQUALITY_C.replace('h->tp_status != TP_STATUS_KERNEL', '(h->tp_status & TP_STATUS_USER) != 0');

describe('ringlint review --staged', { timeout: 60_000 }, () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
    git(dir, 'init', '-q');
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  async function review(args: string[], cwd = dir): Promise<{ run: CliRun; report: StagedJson }> {
    const run = await runCli(['review', '--staged', '--format', 'json', ...args], { cwd, env: isolatedCache(dir) });
    expect(run.code, run.stderr).not.toBe(2);
    return { run, report: JSON.parse(run.stdout) as StagedJson };
  }
  const located = (report: JsonReport) => report.findings.map((finding) => `${finding.ruleId} ${finding.file}:${finding.line}`);

  it('leaves out untracked files, which a working-tree review reports', async () => {
    await writeTree(dir, { 'src/ok.c': PLAIN_C });
    commitAll(dir, 'base');
    await writeTree(dir, { 'src/untracked.c': KERNEL_EQUALITY_C });
    const staged = await review([]);
    expect(staged.run.code).toBe(0);
    expect(staged.report.findings).toEqual([]);
    expect(staged.report.review).toMatchObject({ base: 'HEAD', staged: true, changedFiles: [] });
    const workingTree = await runCli(['review', '--base', 'HEAD', '--format', 'json'], { cwd: dir, env: isolatedCache(dir) });
    expect(located(JSON.parse(workingTree.stdout) as JsonReport)).toEqual(['RL001 src/untracked.c:2']);
  });

  it('judges the staged text, not the unstaged edits on top of it', async () => {
    await writeTree(dir, { 'src/ring.c': PLAIN_C });
    commitAll(dir, 'base');
    // Staged: the unsafe test (after a shift of one line). Working tree: already repaired.
    await writeFile(join(dir, 'src/ring.c'), `/* consumer */\n${KERNEL_EQUALITY_C}`);
    git(dir, 'add', 'src/ring.c');
    await writeFile(join(dir, 'src/ring.c'), USER_BIT_C);
    const blocked = await review([]);
    expect(blocked.run.code).toBe(1);
    expect(located(blocked.report)).toEqual(['RL001 src/ring.c:3']);
    expect(blocked.report.review.changedFiles).toEqual(['src/ring.c']);

    // The other way round: the repair is staged, a regression is only in the working tree.
    git(dir, 'add', 'src/ring.c');
    await writeFile(join(dir, 'src/ring.c'), KERNEL_EQUALITY_C);
    const clean = await review([]);
    expect(clean.run.code).toBe(0);
    expect(clean.report.findings).toEqual([]);
  });

  it('reports everything staged for the first commit, and paths relative to a subdirectory', async () => {
    await writeTree(dir, { 'src/ring.c': KERNEL_EQUALITY_C, 'docs/ok.c': PLAIN_C });
    git(dir, 'add', '-A');
    const first = await review([]);
    expect(first.run.code).toBe(1);
    expect(located(first.report)).toEqual(['RL001 src/ring.c:2']);
    expect(first.report.review.mergeBase).toBeNull();
    const fromSubdirectory = await review([], join(dir, 'docs'));
    expect(located(fromSubdirectory.report)).toEqual(['RL001 ../src/ring.c:2']);
    // Paths narrow the analysis, as for scan.
    const narrowed = await review(['docs'], dir);
    expect(narrowed.report.findings).toEqual([]);
  });

  it('reads the config as staged', async () => {
    await writeTree(dir, { 'src/ok.c': PLAIN_C });
    commitAll(dir, 'base');
    await writeTree(dir, { 'src/ring.c': KERNEL_EQUALITY_C, 'ringlint.config.json': JSON.stringify({ rules: { RL001: 'off' } }) });
    git(dir, 'add', 'src/ring.c');
    // The config that turns RL001 off is not staged: it does not count.
    expect(located((await review([])).report)).toEqual(['RL001 src/ring.c:2']);
    git(dir, 'add', 'ringlint.config.json');
    expect((await review([])).report.findings).toEqual([]);
    // Named explicitly, a file of the repository is read as staged too.
    await writeFile(join(dir, 'ringlint.config.json'), JSON.stringify({ rules: { RL001: 'error' } }));
    expect((await review(['--config', join(dir, 'ringlint.config.json')])).report.findings).toEqual([]);
  });

  it('reads blobs without running repository-configured filters, and refuses --fix', async () => {
    await writeTree(dir, { 'src/ok.c': PLAIN_C });
    commitAll(dir, 'base');
    await writeTree(dir, { 'src/ring.c': KERNEL_EQUALITY_C });
    git(dir, 'add', 'src/ring.c');
    const marker = join(dir, 'filter-ran');
    await writeFile(join(dir, 'filter.sh'), `#!/bin/sh\ntouch ${marker}\ncat\n`, { mode: 0o755 });
    await writeFile(join(dir, '.gitattributes'), '*.c filter=probe\n');
    git(dir, 'config', 'filter.probe.clean', join(dir, 'filter.sh'));
    git(dir, 'config', 'filter.probe.smudge', join(dir, 'filter.sh'));
    git(dir, 'config', 'core.fsmonitor', join(dir, 'filter.sh'));
    await rm(marker, { force: true });
    expect(located((await review([])).report)).toEqual(['RL001 src/ring.c:2']);
    await expect(readFile(marker)).rejects.toThrow();

    const fix = await runCli(['review', '--staged', '--fix'], { cwd: dir, env: isolatedCache(dir) });
    expect(fix.code).toBe(2);
    expect(fix.stderr).toContain("option '--staged' cannot be used with option '--fix'");
  });

  it('still needs --base without --staged', async () => {
    const run = await runCli(['review'], { cwd: dir, env: isolatedCache(dir) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("required option '--base <ref>' not specified");
  });
});
