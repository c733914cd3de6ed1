/**
 * Fixes and suggestions in TS/JS write the USER bit the way the file already names it (an enum
 * member, an imported or renamed constant, a local constant meaning it), found through the type
 * checker; only a module that names it nowhere gets the number. Suggestion titles are sentences.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/eslint/plugin.js';
import { rules, tsRuleTester } from './rule-testers.js';

const HDR = 'interface Hdr { tp_status: number; tp_len: number } declare function deliver(n: number): void;\n';

tsRuleTester.run('ringlint/kernel-equality writes the USER bit as the file names it', rules['kernel-equality']!, {
  valid: [],
  invalid: [
    {
      filename: 'enum.ts',
      code: `enum TpStatus { KERNEL = 0, USER = 1, COPY = 2 }\n${HDR}export function f(h: Hdr) { if (h.tp_status !== TpStatus.KERNEL) deliver(h.tp_len); }`,
      output: `enum TpStatus { KERNEL = 0, USER = 1, COPY = 2 }\n${HDR}export function f(h: Hdr) { if ((h.tp_status & TpStatus.USER) !== 0) deliver(h.tp_len); }`,
      errors: [{ messageId: 'kernelComparison', line: 3, column: 33, endLine: 3, endColumn: 64 }],
    },
    {
      // The test spells KERNEL as 0, but the module's enum has the USER member.
      filename: 'enum-in-scope.ts',
      code: `const enum SlotState { Kernel = 0, User = 1 }\n${HDR}export function f(h: Hdr) { if (h.tp_status != 0) deliver(h.tp_len); return SlotState.Kernel; }`,
      output: `const enum SlotState { Kernel = 0, User = 1 }\n${HDR}export function f(h: Hdr) { if ((h.tp_status & SlotState.User) !== 0) deliver(h.tp_len); return SlotState.Kernel; }`,
      errors: [{ messageId: 'kernelComparison', line: 3, column: 33, endLine: 3, endColumn: 49 }],
    },
    {
      filename: 'local-constant.ts',
      code: `const SLOT_FREE = 0, ONE = 1, SLOT_USER = 1;\n${HDR}export function f(h: Hdr) { if (h.tp_status !== SLOT_FREE) deliver(h.tp_len + ONE); }`,
      output: `const SLOT_FREE = 0, ONE = 1, SLOT_USER = 1;\n${HDR}export function f(h: Hdr) { if ((h.tp_status & SLOT_USER) !== 0) deliver(h.tp_len + ONE); }`,
      errors: [{ messageId: 'kernelComparison', line: 3, column: 33, endLine: 3, endColumn: 58 }],
    },
    {
      // A constant of value 1 that is not named for the USER bit is not it.
      filename: 'unnamed.ts',
      code: `const ONE = 1;\n${HDR}export function f(h: Hdr) { if (h.tp_status !== 0) deliver(h.tp_len + ONE); }`,
      output: `const ONE = 1;\n${HDR}export function f(h: Hdr) { if ((h.tp_status & 1 /* TP_STATUS_USER */) !== 0) deliver(h.tp_len + ONE); }`,
      errors: [{ messageId: 'kernelComparison', line: 3, column: 33, endLine: 3, endColumn: 50 }],
    },
    {
      // Named inside the function only: still in scope where the test is.
      filename: 'function-scope.ts',
      code: `${HDR}export function f(h: Hdr) { const TP_STATUS_USER = 1; if (h.tp_status === 0) return; deliver(h.tp_len * TP_STATUS_USER); }`,
      output: `${HDR}export function f(h: Hdr) { const TP_STATUS_USER = 1; if ((h.tp_status & TP_STATUS_USER) === 0) return; deliver(h.tp_len * TP_STATUS_USER); }`,
      errors: [{ messageId: 'kernelComparison', line: 2, column: 59, endLine: 2, endColumn: 76 }],
    },
  ],
});

tsRuleTester.run('ringlint/exact-user-equality autofixes as the CLI does', rules['exact-user-equality']!, {
  valid: [],
  invalid: [
    {
      filename: 'exact.ts',
      code: `const TP_STATUS_USER = 1;\n${HDR}export const f = (h: Hdr) => (h.tp_status === TP_STATUS_USER ? h.tp_len : 0);`,
      output: `const TP_STATUS_USER = 1;\n${HDR}export const f = (h: Hdr) => ((h.tp_status & TP_STATUS_USER) !== 0 ? h.tp_len : 0);`,
      errors: [{ messageId: 'exactUserComparison', line: 3, column: 31, endLine: 3, endColumn: 61 }],
    },
  ],
});

tsRuleTester.run('ringlint/mask-precedence suggestion title', rules['mask-precedence']!, {
  valid: [],
  invalid: [
    {
      filename: 'precedence.ts',
      code: `const TP_STATUS_USER = 1;\n${HDR}export const f = (h: Hdr) => h.tp_status & TP_STATUS_USER === 0;`,
      output: null,
      errors: [
        {
          messageId: 'maskPrecedence', line: 3, column: 30, endLine: 3, endColumn: 64,
          suggestions: [
            {
              desc: 'Parenthesise the mask: (h.tp_status & TP_STATUS_USER) === 0',
              output: `const TP_STATUS_USER = 1;\n${HDR}export const f = (h: Hdr) => (h.tp_status & TP_STATUS_USER) === 0;`,
            },
          ],
        },
      ],
    },
  ],
});

describe('names imported from another module', { timeout: 60_000 }, () => {
  let project: string;
  let eslint: ESLint;

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'ringlint-spelling-'));
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'esnext', moduleResolution: 'bundler' } }));
    await writeFile(join(project, 'ring.ts'), 'export enum TpStatus { Kernel = 0, User = 1 }\nexport const TP_STATUS_KERNEL = 0, TP_STATUS_USER = 1;\n');
    eslint = new ESLint({ cwd: project, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended], fix: true });
  });
  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });

  async function fixed(file: string, code: string): Promise<string | undefined> {
    await writeFile(join(project, file), code);
    const [result] = await eslint.lintText(code, { filePath: join(project, file) });
    return result?.output;
  }

  it('an imported enum', async () => {
    const code = `import { TpStatus } from './ring';\n${HDR}export function f(h: Hdr) { if (h.tp_status !== TpStatus.Kernel) deliver(h.tp_len); }\n`;
    expect(await fixed('enum.ts', code)).toBe(code.replace('h.tp_status !== TpStatus.Kernel', '(h.tp_status & TpStatus.User) !== 0'));
  });

  it('an imported constant under another name', async () => {
    const code = `import { TP_STATUS_KERNEL, TP_STATUS_USER as OWNED } from './ring';\n${HDR}export function f(h: Hdr) { if (h.tp_status != TP_STATUS_KERNEL) deliver(h.tp_len * OWNED); }\n`;
    expect(await fixed('renamed.ts', code)).toBe(code.replace('h.tp_status != TP_STATUS_KERNEL', '(h.tp_status & OWNED) !== 0'));
  });
});
