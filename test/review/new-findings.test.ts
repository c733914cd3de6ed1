/**
 * Where review reports what a change introduced, on the analyzer's real findings with the changed
 * lines given: the cases the end-to-end suite does not reach (a macro that only reads, an ordering
 * finding through a helper, an untouched finding).
 */
import { describe, expect, it } from 'vitest';
import { analyzeC } from '../../src/c/analyze.js';
import { C_SYNTAX } from '../../src/c/syntax.js';
import type { ChangedLines } from '../../src/review/changed-lines.js';
import { introducedFindings } from '../../src/review/new-findings.js';

function changedAt(lines: Record<string, number[]>): ChangedLines {
  return {
    isChanged: (file, line) => lines[file]?.includes(line) ?? false,
    changedFiles: () => Object.keys(lines),
  };
}

function review(sources: Record<string, string>, changed: Record<string, number[]>) {
  const texts = new Map(Object.entries(sources));
  const { findings } = analyzeC([...texts].map(([path, text]) => ({ path, text, syntax: C_SYNTAX })));
  return { findings, introduced: introducedFindings(findings, changedAt(changed), texts) };
}

const READ_MACRO =
  '#define FRAME_STATUS(f) __atomic_load_n(&(f)->tp_status, __ATOMIC_ACQUIRE)\n' + // 1
  'void handle(void *);\n' + // 2
  'void a(struct tpacket2_hdr *h) { if (FRAME_STATUS(h) != TP_STATUS_KERNEL) handle(h); }\n' + // 3
  'void b(struct tpacket2_hdr *h) { if (FRAME_STATUS(h) == 0) return; handle(h); }\n'; // 4

describe('introducedFindings', () => {
  it('drops findings the change did not touch and keeps new ones where they are', () => {
    const untouched = review({ 'r.c': READ_MACRO }, {});
    expect(untouched.findings.length).toBe(2);
    expect(untouched.introduced).toEqual([]);
    const newUse = review({ 'r.c': READ_MACRO }, { 'r.c': [4] });
    expect(newUse.introduced).toEqual([newUse.findings.find((finding) => finding.line === 4)]);
  });

  it('reports uses of a changed macro that only reads once, at the macro, without one fix for tests that each need their own', () => {
    const { introduced } = review({ 'r.c': READ_MACRO }, { 'r.c': [1] });
    expect(introduced).toHaveLength(1);
    const [finding] = introduced;
    expect(finding).toMatchObject({ ruleId: 'RL001', file: 'r.c', line: 1 });
    expect(finding!.related.filter((related) => related.kind === 'use').map((related) => `${related.line} ${related.message}`)).toEqual([
      '3 used in a()',
      '4 used in b()',
    ]);
    // Each use has its own test to rewrite: `ringlint scan --fix` does that, one edit cannot.
    expect(finding!.decisionShape).toBeUndefined();
  });

  it('reports a read made unordered inside a helper at the read', () => {
    const helper =
      'unsigned status_of(struct tpacket2_hdr *h) { return h->tp_status; }\n' + // 1
      'int deliver(const void *, unsigned);\n' + // 2
      'int f(struct tpacket2_hdr *h) { if (status_of(h) & TP_STATUS_USER) return deliver((char *)h + h->tp_mac, h->tp_len); return 0; }\n'; // 3
    const { findings, introduced } = review({ 'h.c': helper }, { 'h.c': [1] });
    expect(findings.map((finding) => `${finding.ruleId} ${finding.line}`)).toEqual(['RL005 3']);
    expect(introduced.map((finding) => `${finding.ruleId} ${finding.file}:${finding.line}:${finding.column}`)).toEqual(['RL005 h.c:1:53']);
    expect(introduced[0]!.related[0]).toMatchObject({ kind: 'use', file: 'h.c', line: 3 });
  });
});
