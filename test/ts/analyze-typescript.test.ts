/**
 * The TypeScript analyzer on its own: precision (look-alikes are never flagged), the sources it
 * recognises, cross-file helpers, and bad input (syntax errors, broken or missing tsconfig, deep
 * nesting) that must give per-file errors or degrade gracefully, never throw.
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeTypeScript, type TsSourceFile } from '../../src/ts/analyze.js';

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'ringlint-ts-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const PRELUDE = `
const TP_STATUS_KERNEL = 0;
const TP_STATUS_USER = 1;
const TP_STATUS_AVAILABLE = 0;
interface Hdr { tp_status: number; tp_len: number; tp_snaplen: number }
declare function deliver(length: number): void;
`;

function source(name: string, text: string): TsSourceFile {
  return { path: name, absolutePath: join(directory, name), text };
}

/** `line ruleId` of every finding, lines counted from the snippet (after the prelude). */
function rulesIn(body: string, name = 'snippet.ts'): string[] {
  const offset = PRELUDE.split('\n').length - 1;
  const { findings, errors } = analyzeTypeScript([source(name, PRELUDE + body)]);
  expect(errors).toEqual([]);
  return findings.map((finding) => `${finding.line - offset} ${finding.ruleId}`).sort();
}

// The first analysis loads ts-morph and parses the lib files.
describe('precision: status words not tied to a ring are never flagged', { timeout: 30_000 }, () => {
  it.each([
    ['response.status === 0', 'declare const response: { status: number };\nexport function f() { if (response.status === 0) return 1; return 0; }'],
    ['!job.status', 'declare const job: { status: number };\nexport function f() { if (!job.status) return 1; return 0; }'],
    ['process.exitCode', 'declare const process: { exitCode?: number };\nexport function f() { return process.exitCode ? 1 : 0; }'],
    ['res.statusCode', 'declare const res: { statusCode: number };\nexport function f() { return res.statusCode !== 0; }'],
    ['a local named status from an ordinary array', 'declare const jobs: number[];\nexport function f(i: number) { const status = jobs[i]; return status ? 1 : 0; }'],
    ['an unrelated blockStatus', 'declare const disk: { blockStatus: number };\nexport function f() { return disk.blockStatus == 0; }'],
    ['a DataView read nothing ties to the status word', 'export function f(v: DataView) { return v.getUint32(0, true) === 0; }'],
  ])('%s', (_name, body) => {
    expect(rulesIn(body)).toEqual([]);
  });
});

describe('sources and decisions', () => {
  it('reports V1/V2 decisions on a struct-like header', () => {
    expect(rulesIn('export function f(h: Hdr) {\n  if (h.tp_status !== TP_STATUS_KERNEL) deliver(h.tp_len);\n}')).toEqual(['2 RL001', '2 RL005']);
  });

  it('knows the USER-bit test is right, with an Atomics read', () => {
    expect(rulesIn('export function f(w: Int32Array, i: number) {\n  if ((Atomics.load(w, i) & TP_STATUS_USER) !== 0) deliver(1);\n}')).toEqual([]);
  });

  it('reports RL007 for a mask without parentheses', () => {
    expect(rulesIn('export function f(h: Hdr) {\n  // @ts-expect-error: the bug does not type-check\n  return h.tp_status & TP_STATUS_USER === 0;\n}')).toEqual(['3 RL007']);
  });

  it('treats TX-ring code as TX', () => {
    expect(rulesIn('export function f(h: Hdr) {\n  if (h.tp_status === TP_STATUS_AVAILABLE) h.tp_len = 1;\n}')).toEqual([]);
  });

  it('follows a getter that returns a typed-array status read (camelCase)', () => {
    const body = [
      'class Frame { constructor(private w: Uint32Array, private i: number) {}',
      '  get tpStatus() { return this.w[this.i] ?? 0; }',
      '  get tpLen() { return 1; } }',
      'export function f(frame: Frame) {',
      '  if (frame.tpStatus) deliver(frame.tpLen);',
      '}',
    ].join('\n');
    expect(rulesIn(body)).toEqual(['5 RL002', '5 RL005']);
  });

  it('reports a JS file with no types', () => {
    const text = 'export function f(view, off, deliver) {\n  const status = view.getUint32(off, true);\n  if (!status) return;\n  deliver(view);\n}\n';
    const { findings, errors } = analyzeTypeScript([source('plain.js', text)]);
    expect(errors).toEqual([]);
    expect(findings.map((finding) => `${finding.line} ${finding.ruleId}`).sort()).toEqual(['3 RL002', '3 RL005']);
  });

  it('follows an imported helper into another file and reports at the call with related locations', async () => {
    const folder = join(directory, 'helpers');
    await mkdir(folder, { recursive: true });
    const helper = source('helpers/status.ts', 'export const KERNEL_OWNED = 0;\nexport function statusOf(h: { tp_status: number }) {\n  return h.tp_status;\n}\n');
    const consumer = source(
      'helpers/consumer.ts',
      "import { KERNEL_OWNED, statusOf } from './status.js';\nimport { TP_STATUS_KERNEL } from './status-names.js';\nexport function f(h: { tp_status: number; tp_len: number }) {\n  return statusOf(h) !== KERNEL_OWNED ? h.tp_len : TP_STATUS_KERNEL;\n}\n",
    );
    const names = source('helpers/status-names.ts', 'export const TP_STATUS_KERNEL = 0;\n');
    const { findings, errors } = analyzeTypeScript([helper, consumer, names]);
    expect(errors).toEqual([]);
    const rl001 = findings.find((finding) => finding.ruleId === 'RL001');
    expect(rl001).toMatchObject({ file: 'helpers/consumer.ts', line: 4 });
    expect(rl001?.related.map((location) => `${location.file}:${location.line}`)).toEqual(['helpers/status.ts:2', 'helpers/status.ts:3']);
  });
});

describe('precision of the binding forms: a name or a form alone is not a ring', () => {
  it.each([
    ['a `read.u32` that is not bun:ffi\'s', 'const read = { u32: (p: number, o: number) => p + o };\nexport function f(p: number) { const status = read.u32(p, 0); return status ? 1 : 0; }'],
    ['a tuple without labels', 'export function f(t: readonly [number, number]) { const [status] = t; return t[0] !== 0 || !status; }'],
    ['a tuple labelled for something else', 'export function f(t: readonly [state: number, len: number]) { return t[0] !== 0; }'],
    ['a destructured status of an unrelated object', 'declare const response: { status: number };\nexport function f() { const { status } = response; return status ? 1 : 0; }'],
    ['a class field stored from something besides a status read', 'export class C { #s = 0; constructor(private v: DataView) {} load(n: number) { this.#s = this.v.getUint32(0, true); this.#s = n; } get ok() { return this.#s !== 0; } }'],
    ['a class field no status read fills', 'export class C { #status = 0; constructor(private v: DataView) {} load() { this.#status = this.v.getUint32(4, true); } get ok() { return this.#status !== 0; } }'],
    ['a closure over an unrelated status', 'declare const response: { status: number };\nexport function f() { const status = response.status; return () => status !== 0; }'],
    ['`??` with an unrelated value', 'declare const job: { status?: number };\nexport function f() { return (job.status ?? 0) === 0; }'],
    ['a local function called Boolean', 'const Boolean = (n: number) => n > 0;\nexport function f(h: Hdr) { return Boolean(h.tp_len); }'],
    ['a futex-style Atomics.load(flag, 0) === 0', 'export function f(flag: Int32Array) { while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0); }'],
  ])('%s', (_name, body) => {
    expect(rulesIn(body)).toEqual([]);
  });
});

describe('reads into bindings and truthiness forms', () => {
  it.each([
    ['object destructuring', 'export function f(h: Hdr) {\n  const { tp_status } = h;\n  if (tp_status === 0) return;\n  deliver(h.tp_len);\n}', ['3 RL001', '3 RL005']],
    ['renamed with a default, nested', 'export function f(s: { hdr: Hdr }) {\n  const { hdr: { tp_status: st = 0 } } = s;\n  if (!st) return;\n  deliver(s.hdr.tp_len);\n}', ['3 RL002', '3 RL005']],
    ['a destructured parameter', 'export function f({ tp_status }: Hdr) {\n  return tp_status !== 0;\n}', ['2 RL001']],
    ['a labelled tuple element', 'export function f(t: readonly [tp_status: number, tp_len: number]) {\n  return t[0] === TP_STATUS_USER;\n}', ['2 RL003']],
    ['Boolean()', 'export function f(h: Hdr) {\n  return Boolean(h.tp_status);\n}', ['2 RL002']],
    ['!!', 'export function f(h: Hdr) {\n  return !!h.tp_status;\n}', ['2 RL002']],
    ['`??` keeps the word', 'export function f(h?: Hdr) {\n  if (h?.tp_status ?? 0) deliver(1);\n}', ['2 RL002']],
    ['a boolean return type', 'export function f(h: Hdr): boolean {\n  return h.tp_status as unknown as boolean;\n}', ['2 RL002']],
    ['a predicate callback', 'export function f(hs: Hdr[]) {\n  return hs.filter((h) => h.tp_status).length;\n}', ['2 RL002']],
    ['map then filter(Boolean)', 'export function f(hs: Hdr[]) {\n  return hs.map((h) => h.tp_status).filter(Boolean).length;\n}', ['2 RL002']],
    ['a captured const', 'export function f(h: Hdr) {\n  const s = h.tp_status;\n  return () => s !== TP_STATUS_KERNEL;\n}', ['3 RL001']],
    ['a private class field filled from a status read', 'export class C {\n  #lastStatus = 0;\n  constructor(private v: DataView) {}\n  load() { this.#lastStatus = this.v.getUint32(TP_STATUS_OFFSET, true); }\n  get ready() { return this.#lastStatus !== 0; }\n}\nconst TP_STATUS_OFFSET = 0;', ['5 RL001']],
    ['bun:ffi read.u32', "import { read } from 'bun:ffi';\nexport function f(p: number) {\n  const status = read.u32(p as never, 0);\n  return status ? 1 : 0;\n}", ['4 RL002']],
  ])('%s', (_name, body, expected) => {
    expect(rulesIn(body)).toEqual(expected);
  });
});

describe('bad input', () => {
  it('reports a syntax error per file and still analyses what parsed', () => {
    const { findings, errors } = analyzeTypeScript([
      source('broken.ts', 'const TP_STATUS_KERNEL = 0;\nexport function f(h: { tp_status: number }) {\n  if (h.tp_status != TP_STATUS_KERNEL) return 1;\n  return (((;\n}\n'),
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.file).toBe('broken.ts');
    expect(errors[0]?.message).toMatch(/^syntax error at line 4: /);
    expect(findings.map((finding) => finding.ruleId)).toContain('RL001');
  });

  it('ignores type errors: the analysis does not need a program that type-checks', () => {
    const body = 'export function f(h: Hdr) {\n  const x: string = 42;\n  if (h.tp_status == 0) missing(x);\n}';
    expect(rulesIn(body)).toEqual(['3 RL001']);
  });

  it('falls back to default options for a broken tsconfig.json and says so', async () => {
    const project = join(directory, 'broken-config');
    await mkdir(project, { recursive: true });
    await writeFile(join(project, 'tsconfig.json'), '{ "compilerOptions": { "target": "ES2022", ');
    const file = { path: 'consumer.ts', absolutePath: join(project, 'consumer.ts'), text: 'export const f = (h: { tp_status: number }) => h.tp_status ? 1 : 0;\n' };
    const { findings, errors } = analyzeTypeScript([file]);
    expect(findings.map((finding) => finding.ruleId)).toEqual(['RL002']);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/tsconfig\.json.*default options/);
  });

  const nested = (depth: number): string => `export function f(h: { tp_status: number }) {\n  return ${'('.repeat(depth)}h.tp_status${')'.repeat(depth)} ? 1 : 0;\n}\n`;

  it('reports generated code nested too deeply for the evaluator instead of overflowing the stack', () => {
    const { errors } = analyzeTypeScript([source('deep.ts', nested(600))]);
    expect(errors.map((error) => error.message)).toEqual([expect.stringMatching(/nesting deeper than 400 levels in f near line 2/)]);
  });

  it('reports code nested too deeply for the TypeScript parser as a per-file error', () => {
    const { findings, errors } = analyzeTypeScript([source('deeper.ts', nested(50_000)), source('fine.ts', 'export const g = (h: { tp_status: number }) => !h.tp_status;\n')]);
    expect(errors).toEqual([{ file: 'deeper.ts', message: expect.stringMatching(/^could not parse: .*call stack/) }]);
    expect(findings.map((finding) => `${finding.file} ${finding.ruleId}`)).toEqual(['fine.ts RL002']);
  });
});
