import { C, cRuleTester, rules, TS, tsRuleTester } from '../rule-testers.js';

const rule = rules['release-without-ordering']!;

tsRuleTester.run('ringlint/release-without-ordering (TS/JS)', rule, {
  valid: [
    { filename: 'atomics.ts', code: `${TS}export function release(words: Int32Array, i: number) { Atomics.store(words, i, TP_STATUS_KERNEL); }` },
    { filename: 'tx.ts', code: `${TS}export function send(h: Hdr) { h.tp_len = 1; h.tp_status = 1; }` },
    { filename: 'unrelated.ts', code: 'declare const job: { status: number }; export function reset() { job.status = 0; }' },
  ],
  invalid: [
    {
      filename: 'plain.ts',
      code: `${TS}export function release(h: Hdr) { deliver(h.tp_len); h.tp_status = TP_STATUS_KERNEL; }`,
      errors: [{ messageId: 'releaseWithoutOrdering', line: 2, column: 54, endLine: 2, endColumn: 84 }],
    },
    {
      filename: 'dataview.mjs',
      code: 'const TP_STATUS_KERNEL = 0, TP_STATUS_OFFSET = 0;\nexport function release(view, frame) {\n  view.setUint32(frame + TP_STATUS_OFFSET, TP_STATUS_KERNEL, true);\n}',
      errors: [{ messageId: 'releaseWithoutOrdering', line: 3, column: 3, endLine: 3, endColumn: 67 }],
    },
  ],
});

cRuleTester.run('ringlint/release-without-ordering (C language)', rule, {
  valid: [{ filename: 'release.c', code: `${C}void f(struct tpacket2_hdr *h) { __atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE); }` }],
  invalid: [{ filename: 'plain.c', code: `${C}void f(struct tpacket2_hdr *h) { h->tp_status = TP_STATUS_KERNEL; }`, errors: [{ messageId: 'releaseWithoutOrdering', line: 2, column: 34, endLine: 2, endColumn: 65 }] }],
});
