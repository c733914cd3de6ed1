/**
 * --fix and --fix-dry-run through the CLI: the mechanical rewrites keep the operand's spelling, a
 * fixed tree re-parses cleanly and re-scans without RL001–RL003, and fixing again changes nothing.
 */
import { chmod, readFile, realpath, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseC } from '../../src/c/parser.js';
import { editableFiles } from '../../src/fix/editable-files.js';
import { makeTempDir, removeTempDir, runCli, scanJson, writeTree } from '../cli/cli-harness.js';
import { isolatedCache } from './git-harness.js';

const OPERANDS = [
  'h->tp_status',
  '__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE)',
  'status',
  '(h->tp_status)',
  'READ_ONCE(h->tp_status)',
];

/** Each spelling is a condition with `@` standing for the operand. */
const SPELLINGS = [
  '@ != TP_STATUS_KERNEL',
  'TP_STATUS_KERNEL != @',
  '@ == TP_STATUS_KERNEL',
  '@ == 0',
  '0 != @',
  '@',
  '!@',
  '@ == TP_STATUS_USER',
  '@ != TP_STATUS_USER',
  '1 == @',
  'more() && @',
  '!(@ != TP_STATUS_KERNEL)',
];

const MACROS = [
  '#define SLOT_MINE(h) ((h)->tp_status != TP_STATUS_KERNEL)',
  '#define SLOT_FREE(s) ((s) == TP_STATUS_KERNEL)',
  '#define SLOT_READY(h) \\\n\t(__atomic_load_n(&(h)->tp_status, __ATOMIC_ACQUIRE) == TP_STATUS_USER)',
];
const MACRO_USES = ['SLOT_MINE(h)', '!SLOT_FREE(h->tp_status)', 'SLOT_READY(h)'];

function consumer(index: number, spelling: string, operand: string, space: string): string {
  const condition = spelling.replace(/ /g, space).replace('@', operand);
  return (
    `int consumer${index}(struct tpacket2_hdr *h)\n{\n` +
    '\tunsigned status = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);\n' +
    `\tif (${condition})\n\t\thandle(h, h->tp_len);\n\treturn status > 7;\n}\n`
  );
}

function errorNodes(text: string): number {
  let count = 0;
  const stack = [parseC(text).rootNode];
  while (stack.length > 0) {
    const node = stack.pop()!; // non-empty: loop condition
    if (node.isError || node.isMissing) count++;
    stack.push(...node.children);
  }
  return count;
}

const caseArbitrary = fc.record({
  spelling: fc.constantFrom(...SPELLINGS),
  operand: fc.constantFrom(...OPERANDS),
  space: fc.constantFrom(' ', '  ', '\t'),
});

describe('ringlint scan --fix', { timeout: 180_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('rewrites any mix of the fixable spellings to USER-bit tests, once', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(caseArbitrary, { minLength: 1, maxLength: 6 }), fc.subarray([0, 1, 2]), async (cases, macros) => {
        const root = join(dir, `run${run++}`);
        const source =
          '#include <linux/if_packet.h>\nextern void handle(void *, unsigned);\nextern int more(void);\n' +
          macros.map((index) => `${MACROS[index]}\n`).join('') +
          cases.map((item, index) => consumer(index, item.spelling, item.operand, item.space)).join('') +
          (macros.length > 0
            ? `int through_macros(struct tpacket2_hdr *h)\n{\n${macros.map((index) => `\tif (${MACRO_USES[index]})\n\t\thandle(h, h->tp_len);\n`).join('')}\treturn 0;\n}\n`
            : '');
        await writeTree(root, { 'ring.c': source });
        const fixed = await runCli(['scan', '--fix', '--severity', 'error'], { cwd: root, env: isolatedCache(dir) });
        expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
        expect(fixed.stderr).toMatch(/^ringlint: fixed \d+ findings? in 1 file\n/);
        const after = await readFile(join(root, 'ring.c'), 'utf8');
        expect(errorNodes(after)).toBe(errorNodes(source));
        for (const item of cases) {
          // The spelling is kept; a parenthesised truth test gets the bit test inside its parentheses.
          const bare = item.operand.replace(/^\((.*)\)$/, '$1');
          expect([`${item.operand} & TP_STATUS_USER`, `${bare} & TP_STATUS_USER`].some((kept) => after.includes(kept)), after).toBe(true);
        }
        const rescan = await scanJson([], { cwd: root, env: isolatedCache(dir) });
        expect(rescan.report.findings.filter((finding) => ['RL001', 'RL002', 'RL003'].includes(finding.ruleId))).toEqual([]);

        const again = await runCli(['scan', '--fix'], { cwd: root, env: isolatedCache(dir) });
        expect(again.stderr).not.toContain('fixed');
        expect(await readFile(join(root, 'ring.c'), 'utf8')).toBe(after);
        const dryRun = await runCli(['scan', '--fix-dry-run'], { cwd: root, env: isolatedCache(dir) });
        expect(dryRun.stdout).toBe('');
      }),
      { numRuns: 6 },
    );
  });

  it('prints a unified diff without writing, keeps permissions, and leaves switch cases reported', async () => {
    const root = join(dir, 'diff');
    const source =
      'int f(struct tpacket2_hdr *h)\n{\n\tif (h->tp_status != TP_STATUS_KERNEL)\n\t\treturn 1;\n' +
      '\tswitch (h->tp_status) {\n\tcase TP_STATUS_KERNEL:\n\t\treturn 0;\n\t}\n\treturn 2;\n}\n';
    await writeTree(root, { 'a.c': source });
    await chmod(join(root, 'a.c'), 0o640);
    const dryRun = await runCli(['scan', '--fix-dry-run'], { cwd: root, env: isolatedCache(dir) });
    expect(dryRun.code).toBe(1);
    expect(dryRun.stdout).toBe(
      '--- a/a.c\n+++ b/a.c\n@@ -1,6 +1,6 @@\n int f(struct tpacket2_hdr *h)\n {\n' +
        '-\tif (h->tp_status != TP_STATUS_KERNEL)\n+\tif ((h->tp_status & TP_STATUS_USER) != 0)\n' +
        ' \t\treturn 1;\n \tswitch (h->tp_status) {\n \tcase TP_STATUS_KERNEL:\n',
    );
    expect(await readFile(join(root, 'a.c'), 'utf8')).toBe(source);

    const fixed = await runCli(['scan', '--fix', '--format', 'json'], { cwd: root, env: isolatedCache(dir) });
    expect(fixed.code).toBe(1);
    const remaining = (JSON.parse(fixed.stdout) as { findings: Array<{ ruleId: string; line: number }> }).findings;
    expect(remaining.filter((finding) => finding.ruleId === 'RL001').map((finding) => finding.line)).toEqual([6]);
    expect((await stat(join(root, 'a.c'))).mode & 0o777).toBe(0o640);
  });

  it('applies one of two overlapping fixes and leaves the other reported', async () => {
    const root = join(dir, 'overlap');
    await writeTree(root, {
      'a.c': 'int f(struct tpacket2_hdr *h)\n{\n\tunsigned s = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);\n' +
        '\tif ((s ? s : 0) != TP_STATUS_KERNEL)\n\t\treturn 1;\n\treturn 0;\n}\n',
    });
    const fixed = await runCli(['scan', '--fix', '--format', 'json'], { cwd: root, env: isolatedCache(dir) });
    expect(fixed.stderr).toContain('fixed 1 finding in 1 file');
    expect(await readFile(join(root, 'a.c'), 'utf8')).toContain('\tif (((s ? s : 0) & TP_STATUS_USER) != 0)\n');
    const remaining = (JSON.parse(fixed.stdout) as { findings: Array<{ ruleId: string }> }).findings.map((finding) => finding.ruleId);
    expect(remaining).toEqual(['RL002']);
  });

  it('fixes a test that non-ASCII text precedes on its line (decision shapes count UTF-16 units)', async () => {
    const root = join(dir, 'non-ascii');
    const source = 'int f(struct tpacket2_hdr *h)\n{\n\t/* é🙂 */ if (h->tp_status != TP_STATUS_KERNEL)\n\t\treturn 1;\n\treturn 0;\n}\n';
    await writeTree(root, { 'a.c': source });
    const fixed = await runCli(['scan', '--fix'], { cwd: root, env: isolatedCache(dir) });
    expect(fixed.stderr).toContain('fixed 1 finding in 1 file');
    expect(await readFile(join(root, 'a.c'), 'utf8')).toBe(source.replace('h->tp_status != TP_STATUS_KERNEL', '(h->tp_status & TP_STATUS_USER) != 0'));
  });

  it('never edits a file outside the scanned roots, even through a symlink', async () => {
    const root = join(dir, 'roots');
    await writeTree(root, {
      'include/ring.h': '#define SLOT_MINE(h) ((h)->tp_status != TP_STATUS_KERNEL)\n',
      'app/a.c': '#include "ring.h"\n',
    });
    await symlink(join(root, 'include/ring.h'), join(root, 'app/ring.h'));
    const editable = await editableFiles(['app/a.c', 'app/ring.h', 'include/ring.h', 'app/notes.md'], ['app'], root);
    expect([...editable.realPaths]).toEqual([['app/a.c', await realpath(join(root, 'app/a.c'))]]);
    expect([...editable.refused.keys()]).toEqual(['app/ring.h', 'include/ring.h']);
    expect(editable.refused.get('app/ring.h')).toMatch(/^fix not applied: a symbolic link to .*\/include\/ring\.h, outside the scanned roots$/);
    expect(editable.refused.get('include/ring.h')).toMatch(/^fix not applied: its real path .*\/include\/ring\.h is outside the scanned roots$/);
  });
});
