/**
 * `ringlint scan` on TypeScript and JavaScript: which files it picks up, findings in every output
 * format's shape, per-file errors for bad input, and that a C-only scan never loads ts-morph.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KERNEL_EQUALITY_C, makeTempDir, removeTempDir, runCli, scanJson, writeTree } from './cli-harness.js';

const TS_CONSUMER = [
  'const TP_STATUS_KERNEL = 0;',
  'export function ready(h: { tp_status: number }): boolean {',
  '  return h.tp_status !== TP_STATUS_KERNEL;',
  '}',
  '',
].join('\n');

describe('ringlint scan on TypeScript and JavaScript', { timeout: 60_000 }, () => {
  let dir: string;

  beforeAll(async () => {
    dir = await makeTempDir();
    await writeTree(dir, {
      'src/consumer.ts': TS_CONSUMER,
      'src/consumer.mts': TS_CONSUMER,
      'src/consumer.cts': TS_CONSUMER,
      'src/view.tsx': 'export const ready = (h: { tp_status: number }) => (h.tp_status ? <b>ready</b> : null);\n',
      'src/plain.js': 'export const ready = (h) => h.tp_status == 0;\n',
      'src/plain.cjs': 'module.exports = (h) => !h.tp_status;\n',
      'src/plain.mjs': 'export default (h) => h.tp_status !== 0;\n',
      'src/types.d.ts': 'export declare const ready: (h: { tp_status: number }) => boolean;\nexport const x = (h: any) => h.tp_status == 0;\n',
      'src/clean.ts': 'declare const response: { status: number };\nexport const ok = response.status === 0;\n',
      'c/ring.c': KERNEL_EQUALITY_C,
    });
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('analyses .ts/.tsx/.mts/.cts/.js/.mjs/.cjs beside C, but not .d.ts', async () => {
    const { run, report } = await scanJson(['.'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(report.errors).toEqual([]);
    expect(report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`).sort()).toEqual([
      'c/ring.c:2 RL001',
      'src/consumer.cts:3 RL001',
      'src/consumer.mts:3 RL001',
      'src/consumer.ts:3 RL001',
      'src/plain.cjs:1 RL002',
      'src/plain.js:1 RL001',
      'src/plain.mjs:1 RL001',
      'src/view.tsx:1 RL002',
    ]);
    expect(report.filesScanned).toBe(9);
  });

  it('prints TS findings in text and SARIF like C ones', async () => {
    const text = await runCli(['scan', 'src/consumer.ts'], { cwd: dir });
    // The JS spelling of the test it saw: `!==`.
    expect(text.stdout).toMatch(/^src\/consumer\.ts:3:10: error: slot ownership decided by !== TP_STATUS_KERNEL; test the TP_STATUS_USER bit \[RL001\]$/m);
    const sarif = await runCli(['scan', 'src/consumer.ts', '--format', 'sarif'], { cwd: dir });
    const log = JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    expect(log.runs[0]?.results.map((result) => `${result.ruleId} ${result.locations[0]?.physicalLocation.artifactLocation.uri}`)).toEqual(['RL001 src/consumer.ts']);
  });

  it('uses the nearest tsconfig.json and reports a broken one without failing the scan', async () => {
    await writeTree(dir, { 'broken/tsconfig.json': '{ "compilerOptions": { ', 'broken/a.ts': TS_CONSUMER });
    const { report } = await scanJson(['broken'], { cwd: dir });
    expect(report.findings.map((finding) => finding.ruleId)).toEqual(['RL001']);
    expect(report.errors).toEqual([{ file: 'broken/tsconfig.json', message: expect.stringMatching(/default options/) }]);
  });

  it('reports syntax errors and oversized files per file', async () => {
    await writeTree(dir, {
      'bad/syntax.ts': `${TS_CONSUMER}export const = ;\n`,
      'bad/huge.js': `${'// generated\n'.repeat(2000)}export const f = (h) => !h.tp_status;\n`,
    });
    const { report } = await scanJson(['bad', '--max-file-size', '10kb'], { cwd: dir });
    expect(report.findings.map((finding) => `${finding.file} ${finding.ruleId}`)).toEqual(['bad/syntax.ts RL001']);
    expect(report.errors.map((error) => `${error.file}: ${error.message}`)).toEqual([
      expect.stringMatching(/^bad\/huge\.js: file is .* over the --max-file-size limit/),
      expect.stringMatching(/^bad\/syntax\.ts: syntax error at line 5: /),
    ]);
  });

  it('does not load the TypeScript analyzer (ts-morph) for a C-only scan', async () => {
    const log = join(dir, 'loaded-modules.log');
    const hooks = join(dir, 'record-loads.mjs');
    await writeFile(
      hooks,
      [
        "import { appendFileSync } from 'node:fs';",
        "import { createRequire, register } from 'node:module';",
        'if (process.env.RINGLINT_LOAD_LOG && !globalThis.hooked) {',
        '  globalThis.hooked = true;',
        "  register('data:text/javascript,' + encodeURIComponent(\"import { appendFileSync } from 'node:fs'; export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(process.env.RINGLINT_LOAD_LOG, r.url + '\\\\n'); return r; }\"));",
        // ts-morph is CommonJS, required on first use: it shows in the module cache, not to the hook.
        "  const cache = createRequire(import.meta.url).cache;",
        "  process.on('exit', () => appendFileSync(process.env.RINGLINT_LOAD_LOG, Object.keys(cache).join('\\n') + '\\n'));",
        '}',
        'void appendFileSync;',
      ].join('\n'),
    );
    const loaded = async (path: string): Promise<string> => {
      await writeFile(log, '');
      await runCli(['scan', path, '--format', 'json', '--no-cache'], { cwd: dir, env: { RINGLINT_LOAD_LOG: log, NODE_OPTIONS: `--import=${hooks}` } });
      return readFile(log, 'utf8');
    };
    const cOnly = await loaded('c');
    expect(cOnly).toMatch(/tree-sitter/);
    expect(cOnly).not.toMatch(/ts-morph/);
    expect(await loaded('src/consumer.ts')).toMatch(/ts-morph/);
  });
});
