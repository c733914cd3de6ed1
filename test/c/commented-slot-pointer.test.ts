/**
 * A slot pointer in parentheses that also hold a comment, `(/* hdr *\/ h)->tp_status`: the
 * parentheses cannot be stripped (two named children), and finding the pointer's variable used to
 * loop on them forever, so the scan of such a file never ended.
 */
import { describe, expect, it } from 'vitest';
import { analyzeC } from '../../src/c/analyze.js';
import { C_SYNTAX } from '../../src/c/syntax.js';

const TEXT = `#include <linux/if_packet.h>
int ready(struct tpacket2_hdr *h) {
  if ((/* hdr */ h)->tp_status != TP_STATUS_KERNEL) return 1;
  return 0;
}
`;

describe('a slot pointer in commented parentheses', () => {
  it('is analysed, and its decision reported', () => {
    const { findings, errors } = analyzeC([{ path: 'ready.c', text: TEXT, syntax: C_SYNTAX }]);
    expect(errors).toEqual([]);
    expect(findings.map((finding) => `${finding.ruleId} ${finding.line}:${finding.column}`)).toEqual(['RL001 3:7']);
  });
});
