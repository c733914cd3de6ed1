import { C, cRuleTester, rules, TS, tsRuleTester } from '../rule-testers.js';

const rule = rules['status-read-without-acquire']!;

tsRuleTester.run('ringlint/status-read-without-acquire (TS/JS)', rule, {
  valid: [
    {
      filename: 'atomics.ts',
      code: `${TS}export function f(words: Int32Array, i: number, frame: Hdr) { if ((Atomics.load(words, i) & TP_STATUS_USER) !== 0) deliver(frame.tp_len); }`,
    },
    // No frame is read behind the test: nothing to order.
    { filename: 'peek.ts', code: `${TS}export const f = (h: Hdr) => (h.tp_status & TP_STATUS_USER) !== 0;` },
  ],
  invalid: [
    {
      filename: 'plain.ts',
      code: `${TS}export function f(h: Hdr) { if ((h.tp_status & TP_STATUS_USER) !== 0) deliver(h.tp_len); }`,
      errors: [{ messageId: 'readWithoutAcquire', line: 2, column: 33, endLine: 2, endColumn: 69 }],
    },
    {
      filename: 'dataview.js',
      code: 'const TP_STATUS_OFFSET = 0;\nexport function f(view, deliver) {\n  if (view.getUint32(TP_STATUS_OFFSET, true) & 1) deliver(view.buffer);\n}',
      errors: [{ messageId: 'readWithoutAcquire', line: 3, column: 7, endLine: 3, endColumn: 49 }],
    },
  ],
});

cRuleTester.run('ringlint/status-read-without-acquire (C language)', rule, {
  valid: [
    {
      filename: 'acquire.c',
      code: `${C}int f(struct tpacket2_hdr *h) { if (!(__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER)) return 0; return h->tp_len; }`,
    },
  ],
  invalid: [
    {
      filename: 'plain.c',
      code: `${C}int f(struct tpacket2_hdr *h) { if (!(h->tp_status & TP_STATUS_USER)) return 0; return h->tp_len; }`,
      errors: [{ messageId: 'readWithoutAcquire', line: 2, column: 38, endLine: 2, endColumn: 69 }],
    },
  ],
});
