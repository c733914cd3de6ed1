import { C, cRuleTester, rules, TS, tsRuleTester } from '../rule-testers.js';

const rule = rules['kernel-equality']!;

tsRuleTester.run('ringlint/kernel-equality (TS/JS)', rule, {
  valid: [
    { filename: 'websocket.ts', code: 'declare const ws: { readyState: number }; export const connecting = ws.readyState === 0;' },
    { filename: 'futex.ts', code: 'export const waiting = (flag: Int32Array) => Atomics.load(flag, 0) === 0;' },
    { filename: 'http-enum.ts', code: 'enum HttpStatus { Ok = 200, NotFound = 404 } declare const response: { status: number }; export const ok = () => { const { status } = response; return status === HttpStatus.Ok || status !== 0; };' },
    { filename: 'not-bun.ts', code: "import { read } from './memory.js';\nconst STATUS_OFFSET = 0;\nexport const ready = (p: number) => read.u32(p, STATUS_OFFSET) !== 0;" },
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
      errors: [{ messageId: 'kernelComparison', line: 2, column: 33, endLine: 2, endColumn: 65 }],
    },
    {
      filename: 'equality.ts',
      code: `${TS}export function f(h: Hdr) { if (0 == h.tp_status) return; deliver(h.tp_len); }`,
      output: `${TS}export function f(h: Hdr) { if ((h.tp_status & TP_STATUS_USER) === 0) return; deliver(h.tp_len); }`,
      errors: [{ messageId: 'kernelComparison', line: 2, column: 33, endLine: 2, endColumn: 49 }],
    },
    {
      filename: 'switch.ts',
      code: `${TS}export function f(h: Hdr) { switch (h.tp_status) { case TP_STATUS_KERNEL: return 0; default: return h.tp_len; } }`,
      // Only KERNEL and default: the switch means the same on the USER bit alone.
      output: `${TS}export function f(h: Hdr) { switch (h.tp_status & TP_STATUS_USER) { case TP_STATUS_KERNEL: return 0; default: return h.tp_len; } }`,
      errors: [{ messageId: 'kernelSwitchCase', line: 2, column: 57, endLine: 2, endColumn: 73 }],
    },
    {
      // A case with flag bits beside USER (0x11: VLAN_VALID | USER) needs the switch restructured by hand: no fix.
      filename: 'switch-flags.ts',
      code: `${TS}export function f(h: Hdr) { switch (h.tp_status) { case TP_STATUS_KERNEL: return 0; case 0x11: return 2; default: return h.tp_len; } }`,
      output: null,
      errors: [{ messageId: 'kernelSwitchCase', line: 2, column: 57, endLine: 2, endColumn: 73 }],
    },
    {
      filename: 'atomics.mjs',
      code: 'const TP_STATUS_KERNEL = 0;\nexport const ready = (statusWords, i) => Atomics.load(statusWords, i) !== TP_STATUS_KERNEL;',
      output: 'const TP_STATUS_KERNEL = 0;\nexport const ready = (statusWords, i) => (Atomics.load(statusWords, i) & 1 /* TP_STATUS_USER */) !== 0;',
      errors: [{ messageId: 'kernelComparison', line: 2, column: 42, endLine: 2, endColumn: 91 }],
    },
    {
      filename: 'destructured.ts',
      code: `${TS}export function f(h: Hdr) { const { tp_status: s = 0 } = h; if (s !== TP_STATUS_KERNEL) deliver(h.tp_len); }`,
      output: `${TS}export function f(h: Hdr) { const { tp_status: s = 0 } = h; if ((s & TP_STATUS_USER) !== 0) deliver(h.tp_len); }`,
      errors: [{ messageId: 'kernelComparison', line: 2, column: 65, endLine: 2, endColumn: 87 }],
    },
    {
      filename: 'tuple-layout.ts',
      code: `${TS}type Hdr2 = readonly [tp_status: number, tp_len: number]; export const f = (t: Hdr2) => t[0] === TP_STATUS_KERNEL;`,
      output: `${TS}type Hdr2 = readonly [tp_status: number, tp_len: number]; export const f = (t: Hdr2) => (t[0] & TP_STATUS_USER) === 0;`,
      errors: [{ messageId: 'kernelComparison', line: 2, column: 89, endLine: 2, endColumn: 114 }],
    },
    {
      filename: 'callback.ts',
      code: `${TS}export const ready = (hs: Hdr[]) => hs.filter((h) => h.tp_status !== 0);`,
      output: `${TS}export const ready = (hs: Hdr[]) => hs.filter((h) => (h.tp_status & TP_STATUS_USER) !== 0);`,
      errors: [{ messageId: 'kernelComparison', line: 2, column: 54, endLine: 2, endColumn: 71 }],
    },
    {
      filename: 'bun.ts',
      code: "import { read } from 'bun:ffi';\nconst STATUS_OFFSET = 0;\nexport const ready = (p: number) => read.u32(p, STATUS_OFFSET) !== 0;",
      output: "import { read } from 'bun:ffi';\nconst STATUS_OFFSET = 0;\nexport const ready = (p: number) => (read.u32(p, STATUS_OFFSET) & 1 /* TP_STATUS_USER */) !== 0;",
      errors: [{ messageId: 'kernelComparison', line: 3, column: 37, endLine: 3, endColumn: 69 }],
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
      errors: [{ messageId: 'kernelComparison', line: 2, column: 37, endLine: 2, endColumn: 69 }],
    },
    {
      filename: 'switch.c',
      code: `${C}int f(struct tpacket2_hdr *h) { switch (h->tp_status) { case TP_STATUS_KERNEL: return 0; default: return h->tp_len; } }`,
      output: null,
      errors: [{ messageId: 'kernelSwitchCase', line: 2, column: 62, endLine: 2, endColumn: 78 }],
    },
  ],
});
