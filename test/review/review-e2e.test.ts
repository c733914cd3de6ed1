/**
 * The pull-request gate end to end, through the CLI: a base commit with an old finding recorded in
 * a baseline, then a branch that uses an existing macro unsafely, turns a helper unsafe and touches
 * a line next to the old finding. Review reports exactly the two new findings — the helper's at its
 * changed definition, where the diff shows it — and --fix repairs them.
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

interface SarifLog {
  runs: Array<{
    results: Array<{
      fixes?: unknown[];
      message: { text: string };
      locations: Array<{ physicalLocation: unknown }>;
      relatedLocations: Array<{ id: number; physicalLocation: unknown }>;
      partialFingerprints: Record<string, string>;
    }>;
  }>;
}

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
      'RL001 src/helpers.c:4', // the helper the change made unsafe, at its changed line
      'RL001 src/new.c:5', // a new use of the old macro, which did not change
    ]);
    // The helper's old call, which the diff does not show, is a related location of the definition.
    expect(report.findings[0]!.related[0]).toEqual({ file: 'src/old.c', line: 12, column: 6, message: 'used in owned_consumer()' });
    expect(report.findings[0]!.message).toBe('slot ownership decided by != TP_STATUS_KERNEL in frame_owned(); test the TP_STATUS_USER bit');
    expect(report.review.changedFiles).toEqual(['src/helpers.c', 'src/new.c', 'src/old.c']);
    expect(report.review.staleBaselineEntries).toEqual([]);

    // Without the baseline the old finding is still not new: its lines did not change.
    const withoutBaseline = await runCli(['review', '--base', 'main', '--format', 'json'], { cwd: dir, env: isolatedCache(dir) });
    expect((JSON.parse(withoutBaseline.stdout) as JsonReport).findings.map((finding) => `${finding.file}:${finding.line}`), withoutBaseline.stderr).toEqual(['src/helpers.c:4', 'src/new.c:5']);

    // What the shipped GitHub Action runs: SARIF that code scanning accepts, with the fixes in it.
    const sarif = await runCli(['review', '--base', 'main', '--baseline', 'ringlint-baseline.json', '--format', 'sarif', '--output', 'ringlint.sarif'], { cwd: dir, env: isolatedCache(dir) });
    expect(sarif.code).toBe(1);
    const log = JSON.parse(await readFile(join(dir, 'ringlint.sarif'), 'utf8')) as SarifLog;
    const schema = JSON.parse(await readFile(SARIF_SCHEMA_PATH, 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(log.runs[0]!.results.map((result) => result.fixes?.length)).toEqual([1, 1]);
    const atHelper = log.runs[0]!.results[0]!;
    expect(atHelper.locations[0]!.physicalLocation).toMatchObject({ artifactLocation: { uri: 'src/helpers.c' }, region: { startLine: 4 } });
    expect(atHelper.message.text).toMatch(/ \(see \[src\/old\.c:12\]\(1\), /);
    expect(atHelper.relatedLocations[0]).toMatchObject({ id: 1, physicalLocation: { artifactLocation: { uri: 'src/old.c' }, region: { startLine: 12 } } });
    expect(atHelper.partialFingerprints['ringlint/v1']).toMatch(/^[0-9a-f]{32}:0$/);
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

describe('ringlint review of a macro the change makes unsafe', { timeout: 60_000 }, () => {
  const SAFE_MACRO = '#define SLOT_READY(h) ((__atomic_load_n(&(h)->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER) != 0)\n';
  const UNSAFE_MACRO = '#define SLOT_READY(h) (__atomic_load_n(&(h)->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_KERNEL)\n';
  const USES_C =
    '#include "ring.h"\n' +
    'extern void handle(void *h);\n' +
    'void first(struct tpacket2_hdr *h)\n' +
    '{\n' +
    '\tif (SLOT_READY(h))\n' +
    '\t\thandle(h);\n' +
    '}\n' +
    'void second(struct tpacket2_hdr *h)\n' +
    '{\n' +
    '\tif (SLOT_READY(h))\n' +
    '\t\thandle(h);\n' +
    '}\n';
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    git(dir, 'init', '-q');
    await writeTree(dir, { 'src/ring.h': `#include <linux/if_packet.h>\n${SAFE_MACRO}`, 'src/uses.c': USES_C });
    commitAll(dir, 'base');
    git(dir, 'checkout', '-q', '-b', 'feature');
    // The macro turns unsafe; one of its uses changes too (if -> while), the other does not.
    await writeFile(join(dir, 'src/ring.h'), `#include <linux/if_packet.h>\n${UNSAFE_MACRO}`);
    await writeFile(join(dir, 'src/uses.c'), USES_C.replace('void second(struct tpacket2_hdr *h)\n{\n\tif', 'void second(struct tpacket2_hdr *h)\n{\n\twhile'));
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('reports it once, at the changed definition, with every use (changed or not) as a related location', async () => {
    const scan = await runCli(['scan', '--format', 'json'], { cwd: dir, env: isolatedCache(dir) });
    // What scan says: one finding per use.
    expect((JSON.parse(scan.stdout) as JsonReport).findings.map((finding) => `${finding.file}:${finding.line}`)).toEqual(['src/uses.c:5', 'src/uses.c:10']);

    const review = await runCli(['review', '--base', 'main', '--format', 'json'], { cwd: dir, env: isolatedCache(dir) });
    expect(review.code, review.stderr).toBe(1);
    const [finding, ...others] = (JSON.parse(review.stdout) as ReviewJson).findings;
    expect(others).toEqual([]);
    expect(finding).toMatchObject({ ruleId: 'RL001', file: 'src/ring.h', line: 2, column: 24, endLine: 2 });
    expect(finding!.message).toBe('slot ownership decided by != TP_STATUS_KERNEL in SLOT_READY; test the TP_STATUS_USER bit');
    expect(finding!.related.filter((related) => related.file === 'src/uses.c')).toEqual([
      { file: 'src/uses.c', line: 5, column: 6, message: 'used in first()' },
      { file: 'src/uses.c', line: 10, column: 9, message: 'used in second()' },
    ]);
    // No place twice, and not the reported place itself.
    const places = finding!.related.map((related) => `${related.file}:${related.line}:${related.column}`);
    expect(new Set(places).size).toBe(places.length);
    expect(places).not.toContain('src/ring.h:2:24');

    // The text report frames the definition and each use.
    const text = await runCli(['review', '--base', 'main'], { cwd: dir, env: isolatedCache(dir) });
    expect(text.stdout).toContain(
      'src/ring.h:2:24: error: slot ownership decided by != TP_STATUS_KERNEL in SLOT_READY; test the TP_STATUS_USER bit [RL001]\n' +
        ' 2 | #define SLOT_READY(h) (__atomic_load_n(&(h)->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_KERNEL)\n',
    );
    expect(text.stdout).toContain('src/uses.c:10:9: note: used in second()\n 10 | \twhile (SLOT_READY(h))\n    | \t       ^~~~~~~~~~~~~\n');
    expect(text.stdout).toContain('\n1 problem (1 error, 0 warnings) in 2 files scanned; 1 fixable with --fix\n');

    // SARIF: the message links each related location, so that code scanning shows the uses.
    const sarif = await runCli(['review', '--base', 'main', '--format', 'sarif'], { cwd: dir, env: isolatedCache(dir) });
    const log = JSON.parse(sarif.stdout) as SarifLog;
    const schema = JSON.parse(await readFile(SARIF_SCHEMA_PATH, 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const [result] = log.runs[0]!.results;
    const links = [...result!.message.text.matchAll(/\[([^\]]*)\]\((\d+)\)/g)].map((match) => Number(match[2]));
    expect(links).toEqual(result!.relatedLocations.map((related) => related.id));
    expect(result!.message.text).toMatch(/^slot ownership decided by != TP_STATUS_KERNEL in SLOT_READY; test the TP_STATUS_USER bit \(see \[src\/uses\.c:5\]\(1\), \[src\/uses\.c:10\]\(2\)/);
  });

  it('adds nothing at the definition for uses a baseline accepted, and reports a new use there', async () => {
    const baseline = await runCli(['baseline'], { cwd: dir, env: isolatedCache(dir) });
    expect(baseline.stderr).toContain('recorded 2 findings');
    const accepted = await runCli(['review', '--base', 'main', '--baseline', 'ringlint-baseline.json', '--format', 'json'], { cwd: dir, env: isolatedCache(dir) });
    expect(accepted.code, accepted.stdout).toBe(0);
    expect((JSON.parse(accepted.stdout) as ReviewJson).findings).toEqual([]);

    await writeFile(join(dir, 'src/third.c'), '#include "ring.h"\nint third(struct tpacket2_hdr *h)\n{\n\treturn SLOT_READY(h) ? 1 : 0;\n}\n');
    try {
      const review = await runCli(['review', '--base', 'main', '--baseline', 'ringlint-baseline.json', '--format', 'json'], { cwd: dir, env: isolatedCache(dir) });
      const findings = (JSON.parse(review.stdout) as ReviewJson).findings;
      expect(findings.map((finding) => `${finding.file}:${finding.line}`)).toEqual(['src/ring.h:2']);
      expect(findings[0]!.related.filter((related) => related.message.startsWith('used in'))).toEqual([
        { file: 'src/third.c', line: 4, column: 9, message: 'used in third()' },
      ]);
    } finally {
      await rm(join(dir, 'src/third.c'));
      await rm(join(dir, 'ringlint-baseline.json'));
    }
  });
});
