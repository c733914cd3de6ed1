/**
 * The pull-request gate end to end, through the CLI: a base commit with an old finding recorded in
 * a baseline, then a branch that uses an existing macro unsafely, turns a helper unsafe and touches
 * a line next to the old finding. Review reports exactly the two new findings; --fix repairs them.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, makeTempDir, removeTempDir, runCli, writeTree, type JsonReport } from '../cli/cli-harness.js';
import { isolatedCache } from './git-harness.js';
import { commitAll, git } from './git-harness.js';

// A CommonJS module: under NodeNext the class is its `default` property.
const Ajv = AjvDraft04.default;
const SARIF_SCHEMA_PATH = join(REPO_ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

const RING_H =
  '#include <linux/if_packet.h>\n' +
  '#define SLOT_READY(h) (__atomic_load_n(&(h)->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_KERNEL)\n' +
  'int frame_owned(struct tpacket2_hdr *h);\n';

const HELPERS_C =
  '#include "ring.h"\n' +
  'int frame_owned(struct tpacket2_hdr *h)\n' +
  '{\n' +
  '\treturn (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER) != 0;\n' +
  '}\n';

const OLD_C =
  '#include "ring.h"\n' +
  'extern void handle(void *h);\n' +
  'void old_consumer(struct tpacket2_hdr *h)\n' +
  '{\n' +
  '\tint budget = 8;\n' +
  '\tif (SLOT_READY(h) && budget)\n' +
  '\t\thandle(h);\n' +
  '}\n' +
  'void owned_consumer(struct tpacket2_hdr *h)\n' +
  '{\n' +
  '\tif (frame_owned(h))\n' +
  '\t\thandle(h);\n' +
  '}\n';

const NEW_C =
  '#include "ring.h"\n' +
  'extern void handle(void *h);\n' +
  'void new_consumer(struct tpacket2_hdr *h)\n' +
  '{\n' +
  '\twhile (SLOT_READY(h))\n' +
  '\t\thandle(h);\n' +
  '}\n';

interface ReviewJson extends JsonReport {
  review: { base: string; mergeBase: string; changedFiles: string[]; staleBaselineEntries: unknown[]; suppressionProblems: unknown[] };
}

describe('ringlint review', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    git(dir, 'init', '-q');
    await writeTree(dir, { 'src/ring.h': RING_H, 'src/helpers.c': HELPERS_C, 'src/old.c': OLD_C });
    const baseline = await runCli(['baseline'], { cwd: dir, env: isolatedCache(dir) });
    expect(baseline.code, baseline.stderr).toBe(0);
    expect(baseline.stderr).toContain('recorded 1 finding');
    commitAll(dir, 'base');
    git(dir, 'checkout', '-q', '-b', 'feature');
    // An unrelated edit on the line right above the old finding, and a line shift.
    await writeFile(join(dir, 'src/old.c'), OLD_C.replace('int budget = 8;', '/* tuned */\n\tint budget = 16;'));
    await writeFile(join(dir, 'src/helpers.c'), HELPERS_C.replace(
      '(__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER) != 0',
      '__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_KERNEL',
    ));
    await writeFile(join(dir, 'src/new.c'), NEW_C); // untracked: every line is new
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('reports exactly the findings the change introduces, then fixes them', async () => {
    const review = await runCli(['review', '--base', 'main', '--baseline', 'ringlint-baseline.json', '--format', 'json'], { cwd: dir, env: isolatedCache(dir) });
    expect(review.code, review.stderr).toBe(1);
    const report = JSON.parse(review.stdout) as ReviewJson;
    expect(report.findings.map((finding) => `${finding.ruleId} ${finding.file}:${finding.line}`)).toEqual([
      'RL001 src/new.c:5', // a new use of the old macro
      'RL001 src/old.c:12', // an old call of a helper the change made unsafe
    ]);
    expect(report.review.changedFiles).toEqual(['src/helpers.c', 'src/new.c', 'src/old.c']);
    expect(report.review.staleBaselineEntries).toEqual([]);

    // Without the baseline the old finding is still not new: its lines did not change.
    const withoutBaseline = await runCli(['review', '--base', 'main', '--format', 'json'], { cwd: dir, env: isolatedCache(dir) });
    expect((JSON.parse(withoutBaseline.stdout) as JsonReport).findings.map((finding) => `${finding.file}:${finding.line}`), withoutBaseline.stderr).toEqual(['src/new.c:5', 'src/old.c:12']);

    // What the shipped GitHub Action runs: SARIF that code scanning accepts, with the fixes in it.
    const sarif = await runCli(['review', '--base', 'main', '--baseline', 'ringlint-baseline.json', '--format', 'sarif', '--output', 'ringlint.sarif'], { cwd: dir, env: isolatedCache(dir) });
    expect(sarif.code).toBe(1);
    const log = JSON.parse(await readFile(join(dir, 'ringlint.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ fixes?: unknown[] }> }> };
    const schema = JSON.parse(await readFile(SARIF_SCHEMA_PATH, 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(log.runs[0]!.results.map((result) => result.fixes?.length)).toEqual([1, 1]);
    await rm(join(dir, 'ringlint.sarif'));

    const fix = await runCli(['review', '--base', 'main', '--baseline', 'ringlint-baseline.json', '--fix'], { cwd: dir, env: isolatedCache(dir) });
    expect(fix.code, fix.stdout + fix.stderr).toBe(0);
    expect(fix.stderr).toContain('fixed 2 findings in 2 files');
    expect(await readFile(join(dir, 'src/ring.h'), 'utf8')).toContain(
      '#define SLOT_READY(h) ((__atomic_load_n(&(h)->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER) != 0)',
    );
    expect(await readFile(join(dir, 'src/helpers.c'), 'utf8')).toContain(
      '\treturn (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER) != 0;\n',
    );

    const again = await runCli(['review', '--base', 'main', '--baseline', 'ringlint-baseline.json'], { cwd: dir, env: isolatedCache(dir) });
    expect(again.code, again.stdout).toBe(0);
    // Fixing the macro also fixed the old finding: its baseline entry is now stale.
    expect(again.stdout).toMatch(/stale baseline entries[^\n]*\n {2}src\/old\.c:6: RL001 /);
  });

  it('fails with a clear message on an unknown ref or outside a repository', async () => {
    const unknown = await runCli(['review', '--base', 'no-such-branch'], { cwd: dir, env: isolatedCache(dir) });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown ref: no-such-branch');
    const outside = await makeTempDir();
    try {
      const notRepo = await runCli(['review', '--base', 'main'], { cwd: outside, env: isolatedCache(dir) });
      expect(notRepo.code).toBe(2);
      expect(notRepo.stderr).toContain('not a git repository');
    } finally {
      await removeTempDir(outside);
    }
  });

  it('never runs repository-configured programs', async () => {
    const marker = join(dir, 'fsmonitor-ran');
    await writeFile(join(dir, 'hook.sh'), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    git(dir, 'config', 'core.fsmonitor', join(dir, 'hook.sh'));
    git(dir, 'config', 'diff.external', join(dir, 'hook.sh'));
    try {
      const review = await runCli(['review', '--base', 'main'], { cwd: dir, env: isolatedCache(dir) });
      expect(review.code, review.stderr).not.toBe(2);
      await expect(readFile(marker)).rejects.toThrow();
    } finally {
      git(dir, 'config', '--unset', 'core.fsmonitor');
      git(dir, 'config', '--unset', 'diff.external');
    }
  });
});
