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
      // Behaviour changes for frames with flag bits (the point of the fix): a suggestion, not an autofix.
      output: null,
      errors: [
        {
          messageId: 'exactUserComparison', line: 2, column: 31, endLine: 2, endColumn: 61,
          suggestions: [{ messageId: 'rewrite', output: `${TS}export const f = (h: Hdr) => ((h.tp_status & TP_STATUS_USER) !== 0 ? h.tp_len : 0);` }],
        },
      ],
    },
    {
      filename: 'typed-array.ts',
      code: `${TS}export const f = (words: Uint32Array, statusIndex: number) => words[statusIndex] != TP_STATUS_USER;`,
      output: null,
      errors: [
        {
          messageId: 'exactUserComparison', line: 2, column: 63, endLine: 2, endColumn: 99,
          suggestions: [{ messageId: 'rewrite', output: `${TS}export const f = (words: Uint32Array, statusIndex: number) => (words[statusIndex] & TP_STATUS_USER) === 0;` }],
        },
      ],
    },
    {
      // A switch has to be restructured by hand: no suggestion.
      filename: 'switch.ts',
      code: `${TS}export function f(h: Hdr) { switch (h.tp_status) { case TP_STATUS_USER: return h.tp_len; default: return 0; } }`,
      output: null,
      errors: [{ messageId: 'exactUserSwitchCase', line: 2, column: 57, endLine: 2, endColumn: 71, suggestions: [] }],
    },
  ],
});

cRuleTester.run('ringlint/exact-user-equality (C language)', rule, {
  valid: [{ filename: 'bit.c', code: `${C}int f(struct tpacket2_hdr *h) { return (h->tp_status & TP_STATUS_USER) != 0; }` }],
  invalid: [
    {
      filename: 'exact.c',
      code: `${C}int f(struct tpacket2_hdr *h) { return h->tp_status == TP_STATUS_USER; }`,
      output: null,
      errors: [{ messageId: 'exactUserComparison', line: 2, column: 40, endLine: 2, endColumn: 70, suggestions: [{ messageId: 'rewrite', output: `${C}int f(struct tpacket2_hdr *h) { return (h->tp_status & TP_STATUS_USER) != 0; }` }] }],
    },
  ],
});
