import { C, cRuleTester, rules, TS, tsRuleTester } from '../rule-testers.js';

const rule = rules['v3-block-kernel-equality']!;
const BLOCK = `${TS.trimEnd()} interface Bd { hdr: { bh1: { block_status: number; num_pkts: number } } } declare function walk(n: number): void;\n`;

tsRuleTester.run('ringlint/v3-block-kernel-equality (TS/JS)', rule, {
  valid: [
    { filename: 'bit.ts', code: `${BLOCK}export function f(pbd: Bd) { if ((pbd.hdr.bh1.block_status & TP_STATUS_USER) === 0) return; walk(pbd.hdr.bh1.num_pkts); }` },
    { filename: 'disk.ts', code: 'declare const disk: { blockStatus: number }; export const idle = disk.blockStatus == 0;' },
  ],
  invalid: [
    {
      filename: 'equality.ts',
      code: `${BLOCK}export function f(pbd: Bd) { if (pbd.hdr.bh1.block_status === TP_STATUS_KERNEL) return; walk(pbd.hdr.bh1.num_pkts); }`,
      errors: [{ messageId: 'blockKernelComparison', line: 2, column: 34, endLine: 2, endColumn: 79 }],
    },
    {
      filename: 'dataview.mjs',
      code: 'const BLOCK_STATUS_OFFSET = 8;\nexport const ready = (block) => block.getUint32(BLOCK_STATUS_OFFSET, true) !== 0;',
      errors: [{ messageId: 'blockKernelComparison', line: 2, column: 33, endLine: 2, endColumn: 81 }],
    },
    {
      filename: 'truth.ts',
      code: `${BLOCK}export function f(pbd: Bd) { const { hdr: { bh1: { block_status } } } = pbd; if (!block_status) return; walk(pbd.hdr.bh1.num_pkts); }`,
      errors: [{ messageId: 'blockTruthTest', line: 2, column: 83, endLine: 2, endColumn: 95 }],
    },
    {
      filename: 'switch.ts',
      code: `${BLOCK}export function f(pbd: Bd) { switch (pbd.hdr.bh1.block_status) { case TP_STATUS_KERNEL: return 0; default: return 1; } }`,
      errors: [{ messageId: 'blockKernelSwitchCase', line: 2, column: 71, endLine: 2, endColumn: 87 }],
    },
  ],
});

cRuleTester.run('ringlint/v3-block-kernel-equality (C language)', rule, {
  valid: [{ filename: 'bit.c', code: `${C}int f(struct tpacket_block_desc *pbd) { return (pbd->hdr.bh1.block_status & TP_STATUS_USER) != 0; }` }],
  invalid: [
    {
      filename: 'block.c',
      code: `${C}int f(struct tpacket_block_desc *pbd) { return pbd->hdr.bh1.block_status != TP_STATUS_KERNEL; }`,
      errors: [{ messageId: 'blockKernelComparison', line: 2, column: 48, endLine: 2, endColumn: 93 }],
    },
  ],
});
