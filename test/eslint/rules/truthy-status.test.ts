import { C, cRuleTester, rules, TS, tsRuleTester } from '../rule-testers.js';

const rule = rules['truthy-status']!;

tsRuleTester.run('ringlint/truthy-status (TS/JS)', rule, {
  valid: [
    { filename: 'job.ts', code: 'declare const job: { status: number }; export const idle = !job.status;' },
    { filename: 'exit-code.js', code: 'export const failed = () => (process.exitCode ? 1 : 0);' },
    { filename: 'user-bit.ts', code: `${TS}export function f(h: Hdr) { if (h.tp_status & TP_STATUS_USER) deliver(h.tp_len); }` },
    { filename: 'tx-ring.ts', code: `${TS}export function send(h: Hdr) { if (h.tp_status) return h.tp_status === TP_STATUS_AVAILABLE; h.tp_len = 1; return true; }` },
    { filename: 'flag.ts', code: `${TS}export function f(h: Hdr) { if (h.tp_status & TP_STATUS_VLAN_VALID) deliver(1); }` },
  ],
  invalid: [
    {
      filename: 'if.ts',
      code: `${TS}export function f(h: Hdr) { if (h.tp_status) deliver(h.tp_len); }`,
      output: `${TS}export function f(h: Hdr) { if (h.tp_status & TP_STATUS_USER) deliver(h.tp_len); }`,
      errors: [{ messageId: 'finding', line: 2 }],
    },
    {
      filename: 'not.ts',
      code: `${TS}export function f(h: Hdr) { if (!h.tp_status) return; deliver(h.tp_len); }`,
      output: `${TS}export function f(h: Hdr) { if (!(h.tp_status & TP_STATUS_USER)) return; deliver(h.tp_len); }`,
      errors: [{ messageId: 'finding' }],
    },
    {
      filename: 'conditional.ts',
      code: `${TS}export const f = (h: Hdr) => (h.tp_status ? h.tp_len : 0);`,
      output: `${TS}export const f = (h: Hdr) => ((h.tp_status & TP_STATUS_USER) ? h.tp_len : 0);`,
      errors: [{ messageId: 'finding' }],
    },
    {
      filename: 'atomics.cjs',
      code: 'const statusWords = new Int32Array(8);\nfor (let i = 0; i < 8; i++) { while (!Atomics.load(statusWords, i)) {} }',
      output: 'const statusWords = new Int32Array(8);\nfor (let i = 0; i < 8; i++) { while (!(Atomics.load(statusWords, i) & 1 /* TP_STATUS_USER */)) {} }',
      errors: [{ messageId: 'finding', line: 2 }],
    },
  ],
});

cRuleTester.run('ringlint/truthy-status (C language)', rule, {
  valid: [{ filename: 'user-bit.c', code: `${C}int f(struct tpacket2_hdr *h) { return (h->tp_status & TP_STATUS_USER) ? h->tp_len : 0; }` }],
  invalid: [
    {
      filename: 'if.c',
      code: `${C}int f(struct tpacket2_hdr *h) { if (h->tp_status) return h->tp_len; return 0; }`,
      output: `${C}int f(struct tpacket2_hdr *h) { if (h->tp_status & TP_STATUS_USER) return h->tp_len; return 0; }`,
      errors: [{ messageId: 'finding', line: 2 }],
    },
  ],
});
