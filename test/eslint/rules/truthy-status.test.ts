import { C, cRuleTester, rules, TS, tsRuleTester } from '../rule-testers.js';

const rule = rules['truthy-status']!;

tsRuleTester.run('ringlint/truthy-status (TS/JS)', rule, {
  valid: [
    { filename: 'boolean-look-alike.ts', code: 'declare const process: { exitCode?: number }; export const failed = Boolean(process.exitCode);' },
    { filename: 'nullish-job.ts', code: 'declare const job: { status?: number }; export const busy = () => (job.status ?? 0 ? 1 : 0);' },
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
      errors: [{ messageId: 'statusTruthTest', line: 2, column: 33, endLine: 2, endColumn: 44 }],
    },
    {
      filename: 'not.ts',
      code: `${TS}export function f(h: Hdr) { if (!h.tp_status) return; deliver(h.tp_len); }`,
      output: `${TS}export function f(h: Hdr) { if (!(h.tp_status & TP_STATUS_USER)) return; deliver(h.tp_len); }`,
      errors: [{ messageId: 'statusTruthTest', line: 2, column: 34, endLine: 2, endColumn: 45 }],
    },
    {
      filename: 'conditional.ts',
      code: `${TS}export const f = (h: Hdr) => (h.tp_status ? h.tp_len : 0);`,
      output: `${TS}export const f = (h: Hdr) => ((h.tp_status & TP_STATUS_USER) ? h.tp_len : 0);`,
      errors: [{ messageId: 'statusTruthTest', line: 2, column: 31, endLine: 2, endColumn: 42 }],
    },
    {
      filename: 'atomics.cjs',
      code: 'const statusWords = new Int32Array(8);\nfor (let i = 0; i < 8; i++) { while (!Atomics.load(statusWords, i)) {} }',
      output: 'const statusWords = new Int32Array(8);\nfor (let i = 0; i < 8; i++) { while (!(Atomics.load(statusWords, i) & 1 /* TP_STATUS_USER */)) {} }',
      errors: [{ messageId: 'statusTruthTest', line: 2, column: 39, endLine: 2, endColumn: 67 }],
    },
    {
      filename: 'boolean.ts',
      code: `${TS}export const f = (h: Hdr) => Boolean(h.tp_status);`,
      output: `${TS}export const f = (h: Hdr) => Boolean(h.tp_status & TP_STATUS_USER);`,
      errors: [{ messageId: 'statusTruthTest', line: 2, column: 38, endLine: 2, endColumn: 49 }],
    },
    {
      filename: 'nullish.ts',
      code: `${TS}export function f(h?: Hdr) { if (h?.tp_status ?? 0) deliver(1); }`,
      output: `${TS}export function f(h?: Hdr) { if ((h?.tp_status ?? 0) & TP_STATUS_USER) deliver(1); }`,
      errors: [{ messageId: 'statusTruthTest', line: 2, column: 34, endLine: 2, endColumn: 51 }],
    },
    {
      filename: 'map-filter.ts',
      code: `${TS}export const f = (hs: Hdr[]) => hs.map((h) => h.tp_status).filter(Boolean);`,
      // The rewrite goes where the word is made the element: the callback's result.
      output: `${TS}export const f = (hs: Hdr[]) => hs.map((h) => (h.tp_status & TP_STATUS_USER)).filter(Boolean);`,
      errors: [{ messageId: 'statusTruthTest', line: 2, column: 67, endLine: 2, endColumn: 74 }],
    },
    {
      filename: 'jsdoc.mjs',
      code: '/** @param { tp_status: number } h @returns {boolean} */\nexport function ready(h) { return h.tp_status; }',
      output: '/** @param { tp_status: number } h @returns {boolean} */\nexport function ready(h) { return (h.tp_status & 1 /* TP_STATUS_USER */); }',
      errors: [{ messageId: 'statusTruthTest', line: 2, column: 35, endLine: 2, endColumn: 46 }],
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
      errors: [{ messageId: 'statusTruthTest', line: 2, column: 36, endLine: 2, endColumn: 50 }],
    },
  ],
});
