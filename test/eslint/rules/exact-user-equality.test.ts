import { C, cRuleTester, rules, TS, tsRuleTester } from '../rule-testers.js';

const rule = rules['exact-user-equality']!;

tsRuleTester.run('ringlint/exact-user-equality (TS/JS)', rule, {
  valid: [
    { filename: 'masked.ts', code: `${TS}export const f = (h: Hdr) => (h.tp_status & TP_STATUS_USER) === TP_STATUS_USER;` },
    { filename: 'response.ts', code: 'declare const res: { status: number }; export const one = res.status === 1;' },
    { filename: 'tx.ts', code: `${TS}export const f = (h: Hdr) => h.tp_status === TP_STATUS_AVAILABLE || h.tp_status === 1;` },
  ],
  invalid: [
    {
      filename: 'exact.ts',
      code: `${TS}export const f = (h: Hdr) => (h.tp_status === TP_STATUS_USER ? h.tp_len : 0);`,
      // An autofix, as `ringlint scan --fix` applies it: frames with flag bits are no longer left in the ring.
      output: `${TS}export const f = (h: Hdr) => ((h.tp_status & TP_STATUS_USER) !== 0 ? h.tp_len : 0);`,
      errors: [{ messageId: 'exactUserComparison', line: 2, column: 31, endLine: 2, endColumn: 61 }],
    },
    {
      filename: 'typed-array.ts',
      code: `${TS}export const f = (words: Uint32Array, statusIndex: number) => words[statusIndex] != TP_STATUS_USER;`,
      // The nearest tsconfig.json (the repository's) has noUncheckedIndexedAccess: the element may be undefined.
      output: `${TS}export const f = (words: Uint32Array, statusIndex: number) => ((words[statusIndex] ?? 0) & TP_STATUS_USER) === 0;`,
      errors: [{ messageId: 'exactUserComparison', line: 2, column: 63, endLine: 2, endColumn: 99 }],
    },
    {
      // Only USER and default: the switch means the same on the USER bit alone.
      filename: 'switch.ts',
      code: `${TS}export function f(h: Hdr) { switch (h.tp_status) { case TP_STATUS_USER: return h.tp_len; default: return 0; } }`,
      output: `${TS}export function f(h: Hdr) { switch (h.tp_status & TP_STATUS_USER) { case TP_STATUS_USER: return h.tp_len; default: return 0; } }`,
      errors: [{ messageId: 'exactUserSwitchCase', line: 2, column: 57, endLine: 2, endColumn: 71 }],
    },
  ],
});

cRuleTester.run('ringlint/exact-user-equality (C language)', rule, {
  valid: [{ filename: 'bit.c', code: `${C}int f(struct tpacket2_hdr *h) { return (h->tp_status & TP_STATUS_USER) != 0; }` }],
  invalid: [
    {
      filename: 'exact.c',
      code: `${C}int f(struct tpacket2_hdr *h) { return h->tp_status == TP_STATUS_USER; }`,
      output: `${C}int f(struct tpacket2_hdr *h) { return (h->tp_status & TP_STATUS_USER) != 0; }`,
      errors: [{ messageId: 'exactUserComparison', line: 2, column: 40, endLine: 2, endColumn: 70 }],
    },
  ],
});
