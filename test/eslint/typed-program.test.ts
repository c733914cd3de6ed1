/**
 * Typed ESLint runs analyse typescript-eslint's program, which the project's own `typescript` built,
 * not ts-morph's bundled one. Node kinds are numbered differently from one TypeScript release to the
 * next (5.4 and 6.0 disagree on 213 of them), so the program must be read with the compiler API that
 * built it: here a program from the project's TypeScript and one from 5.4 are identified and analysed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ts as bundled } from 'ts-morph';
import projectTypeScript from 'typescript';
import typeScript54 from 'typescript-5.4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeInProgram, analyzeTypeScript } from '../../src/ts/analyze.js';
import { typescriptOf } from '../../src/ts/program-typescript.js';
import type { TypeScriptApi } from '../../src/ts/typescript-api.js';

let directory: string;

const RING = 'export const TP_STATUS_KERNEL = 0;\nexport const isMine = (h: { tp_status: number }) => h.tp_status !== TP_STATUS_KERNEL;\n';
const CONSUMER = [
  "import { isMine, TP_STATUS_KERNEL } from './ring';",
  'interface Hdr { tp_status: number; tp_len: number }',
  'declare function deliver(n: number): void;',
  'export function poll(h: Hdr) {',
  '  if (isMine(h)) deliver(h.tp_len);',
  '  if (h.tp_status === TP_STATUS_KERNEL) return;',
  '  switch (h.tp_status) { case TP_STATUS_KERNEL: return; default: deliver(h.tp_len); }',
  '}',
  '',
].join('\n');

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'ringlint-typed-'));
  await writeFile(join(directory, 'ring.ts'), RING);
  await writeFile(join(directory, 'consumer.ts'), CONSUMER);
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const summary = (findings: Array<{ file: string; line: number; ruleId: string }>): string[] =>
  findings.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`).sort();

describe.each([
  ["the project's typescript", projectTypeScript as unknown as TypeScriptApi],
  ['TypeScript 5.4, whose node kinds are numbered differently', typeScript54 as unknown as TypeScriptApi],
])('a program built by %s', { timeout: 60_000 }, (_name, typescript) => {
  const build = (): bundled.Program =>
    typescript.createProgram([join(directory, 'consumer.ts')], { strict: true, noEmit: true, types: [], module: typescript.ModuleKind.ESNext, moduleResolution: typescript.ModuleResolutionKind.Bundler });

  it('is read with the compiler API that built it', () => {
    expect(typescript.version).not.toBe(bundled.version);
    const found = typescriptOf(build());
    expect(found).toBe(typescript);
  });

  it('gives the findings ringlint scan gives, helpers followed into imported files', () => {
    const program = build();
    const source = program.getSourceFile(join(directory, 'consumer.ts'));
    expect(source).toBeDefined();
    const analysis = analyzeInProgram({
      ts: typescript,
      program,
      files: [{ source: source!, path: 'consumer.ts' }],
      displayPath: (fileName) => fileName.slice(directory.length + 1),
    });
    expect(analysis.errors).toEqual([]);
    const ownProgram = analyzeTypeScript([{ path: 'consumer.ts', absolutePath: join(directory, 'consumer.ts'), text: CONSUMER }]);
    expect(summary(analysis.findings)).toEqual(summary(ownProgram.findings));
    expect(summary(analysis.findings)).toEqual(['consumer.ts:5 RL001', 'consumer.ts:5 RL005', 'consumer.ts:6 RL001', 'consumer.ts:6 RL005', 'consumer.ts:7 RL001', 'consumer.ts:7 RL005']);
  });
});

it('knows no TypeScript for a program none of the loaded copies built', () => {
  const foreign = { getSourceFiles: () => [{ kind: 0 }] } as unknown as bundled.Program;
  expect(typescriptOf(foreign)).toBeUndefined();
});
