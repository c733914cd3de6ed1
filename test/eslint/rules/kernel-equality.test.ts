import { C, cRuleTester, rules, TS, tsRuleTester } from '../rule-testers.js';

const rule = rules['kernel-equality']!;

tsRuleTester.run('ringlint/kernel-equality (TS/JS)', rule, {
  valid: [
    { filename: 'user-bit.ts', code: `${TS}export function f(h: Hdr) { if ((h.tp_status & TP_STATUS_USER) !== 0) deliver(h.tp_len); }` },
    { filename: 'look-alike.ts', code: 'declare const response: { status: number }; export const ok = response.status === 0;' },
    { filename: 'exit-code.js', code: 'export function done() { return process.exitCode === 0; }' },
    { filename: 'tx-ring.ts', code: `${TS}export function send(h: Hdr) { if (h.tp_status !== TP_STATUS_AVAILABLE) return; h.tp_len = 1; }` },
    { filename: 'flag.ts', code: `${TS}export function f(h: Hdr) { if ((h.tp_status & TP_STATUS_VLAN_VALID) !== 0) deliver(1); }` },
    {
      filename: 'free-slots.ts',
      code: `${TS}export function count(frames: Hdr[]) { let n = 0; for (; n < frames.length; n++) { if (frames[n]!.tp_status !== TP_STATUS_KERNEL) break; } return n; }`,
    },
  ],
  invalid: [
    {
      filename: 'inequality.ts',
      code: `${TS}export function f(h: Hdr) { if (h.tp_status !== TP_STATUS_KERNEL) deliver(h.tp_len); }`,
      output: `${TS}export function f(h: Hdr) { if ((h.tp_status & TP_STATUS_USER) !== 0) deliver(h.tp_len); }`,
      errors: [{ messageId: 'finding', line: 2, column: 33 }],
    },
    {
      filename: 'equality.ts',
      code: `${TS}export function f(h: Hdr) { if (0 == h.tp_status) return; deliver(h.tp_len); }`,
      output: `${TS}export function f(h: Hdr) { if ((h.tp_status & TP_STATUS_USER) === 0) return; deliver(h.tp_len); }`,
      errors: [{ messageId: 'finding' }],
    },
    {
      filename: 'switch.ts',
      code: `${TS}export function f(h: Hdr) { switch (h.tp_status) { case TP_STATUS_KERNEL: return 0; default: return h.tp_len; } }`,
      output: null,
      errors: [{ messageId: 'finding', column: 57 }],
    },
    {
      filename: 'atomics.mjs',
      code: 'const TP_STATUS_KERNEL = 0;\nexport const ready = (statusWords, i) => Atomics.load(statusWords, i) !== TP_STATUS_KERNEL;',
      output: 'const TP_STATUS_KERNEL = 0;\nexport const ready = (statusWords, i) => (Atomics.load(statusWords, i) & 1 /* TP_STATUS_USER */) !== 0;',
      errors: [{ messageId: 'finding', line: 2 }],
    },
  ],
});

cRuleTester.run('ringlint/kernel-equality (C language)', rule, {
  valid: [
    { filename: 'user-bit.c', code: `${C}int f(struct tpacket2_hdr *h) { return (h->tp_status & TP_STATUS_USER) != 0; }` },
    { filename: 'tx.c', code: `${C}int f(struct tpacket2_hdr *h) { if (h->tp_status != TP_STATUS_AVAILABLE) return 0; h->tp_len = 1; return 1; }` },
    {
      // RuleTester renames the rule, so the directive names no rule here; test/eslint/c-language.test.ts names it.
      filename: 'disabled.c',
      code: `${C}int f(struct tpacket2_hdr *h) {\n\t/* eslint-disable-next-line -- audited */\n\tif (h->tp_status != TP_STATUS_KERNEL) return h->tp_len;\n\treturn 0;\n}`,
    },
  ],
  invalid: [
    {
      filename: 'inequality.c',
      code: `${C}int f(struct tpacket2_hdr *h) { if (h->tp_status != TP_STATUS_KERNEL) return h->tp_len; return 0; }`,
      output: `${C}int f(struct tpacket2_hdr *h) { if ((h->tp_status & TP_STATUS_USER) != 0) return h->tp_len; return 0; }`,
      errors: [{ messageId: 'finding', line: 2, column: 37 }],
    },
  ],
});
