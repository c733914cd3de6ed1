import { C, cRuleTester, rules, TS, tsRuleTester } from '../rule-testers.js';

const rule = rules['mask-precedence']!;

tsRuleTester.run('ringlint/mask-precedence (TS/JS)', rule, {
  valid: [
    { filename: 'parenthesised.ts', code: `${TS}export const f = (h: Hdr) => (h.tp_status & TP_STATUS_USER) === 0;` },
    { filename: 'unrelated.ts', code: 'export const f = (flags: number) => flags & (1 === 1 ? 1 : 0);' },
  ],
  invalid: [
    {
      filename: 'precedence.ts',
      code: `${TS}export function f(h: Hdr) { if (h.tp_status & TP_STATUS_USER === 0) return; deliver(h.tp_len); }`,
      output: null,
      errors: [
        {
          messageId: 'maskPrecedence', line: 2, column: 33, endLine: 2, endColumn: 67,
          suggestions: [{ messageId: 'rewrite', output: `${TS}export function f(h: Hdr) { if ((h.tp_status & TP_STATUS_USER) === 0) return; deliver(h.tp_len); }` }],
        },
      ],
    },
  ],
});

cRuleTester.run('ringlint/mask-precedence (C language)', rule, {
  valid: [{ filename: 'ok.c', code: `${C}int f(struct tpacket2_hdr *h) { return (h->tp_status & TP_STATUS_USER) == 0; }` }],
  invalid: [
    {
      filename: 'precedence.c',
      code: `${C}int f(struct tpacket2_hdr *h) { return h->tp_status & TP_STATUS_USER == 0; }`,
      output: null,
      errors: [{ messageId: 'maskPrecedence', line: 2, column: 40, endLine: 2, endColumn: 74, suggestions: [{ messageId: 'rewrite', output: `${C}int f(struct tpacket2_hdr *h) { return (h->tp_status & TP_STATUS_USER) == 0; }` }] }],
    },
  ],
});
