/**
 * With the WebAssembly runtime forced (RINGLINT_PARSER=wasm, what a machine without tree-sitter's
 * native module gets), `ringlint scan` and the `ringlint/c` ESLint language report exactly what
 * they report with the native runtime: the scan's whole JSON over the C fixtures and documents, and
 * ESLint's messages for every fixture C file. The built package is run, as users run it.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cFiles } from '../c/fixture-c-files.js';
import { makeTempDir, removeTempDir, REPO_ROOT, runCli } from './cli-harness.js';

const run = promisify(execFile);
const RUNTIMES = ['native', 'wasm'] as const;

describe('RINGLINT_PARSER', { timeout: 120_000 }, () => {
  let dir: string;

  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('picks the runtime the parser module loads', async () => {
    const parser = pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'c', 'parser.js')).href;
    for (const runtime of RUNTIMES) {
      const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', `console.log((await import(${JSON.stringify(parser)})).parserRuntime)`], {
        env: { ...process.env, RINGLINT_PARSER: runtime },
      });
      expect([stdout.trim(), stderr]).toEqual([runtime, '']);
    }
  });

  it('refuses a runtime it does not know, naming the ones it does', async () => {
    const result = await runCli(['scan', '--no-cache', join(REPO_ROOT, 'fixtures', 'c')], { cwd: dir, env: { RINGLINT_PARSER: 'wasm32' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("RINGLINT_PARSER must be 'native' or 'wasm', not 'wasm32'");
  });

  it('gives the same scan of every C fixture and document from either runtime', async () => {
    // fixtures/ts is left out: the TypeScript front end does not use tree-sitter. --no-prefilter
    // parses every file, the relevance stage's workers included.
    const roots = ['fixtures/c', 'fixtures/consumers', 'fixtures/docs'];
    const reports = await Promise.all(
      RUNTIMES.map(async (runtime) => {
        const result = await runCli(['scan', '--format', 'json', '--no-cache', '--no-prefilter', ...roots], { cwd: REPO_ROOT, env: { RINGLINT_PARSER: runtime } });
        expect(result.code, result.stderr).toBe(1);
        const report = JSON.parse(result.stdout) as { elapsedMs?: number; filesParsed: number; findings: unknown[] };
        delete report.elapsedMs;
        return report;
      }),
    );
    expect(reports[0]!.findings.length).toBeGreaterThan(20);
    expect(reports[0]!.filesParsed).toBeGreaterThan(40);
    expect(reports[1]).toEqual(reports[0]);
  });

  it("gives the same ESLint messages for every fixture C file from either runtime (the language's parse is synchronous)", async () => {
    const plugin = pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'eslint', 'plugin.js')).href;
    const config = join(dir, 'eslint.config.mjs');
    await writeFile(config, `import ringlint from ${JSON.stringify(plugin)};\nexport default [ringlint.configs.recommended, ringlint.configs.c];\n`);
    const eslint = join(REPO_ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
    const files = cFiles(join(REPO_ROOT, 'fixtures', 'c'));
    const messages = await Promise.all(
      RUNTIMES.map(async (runtime) => {
        const stdout = await run(process.execPath, [eslint, '--config', config, '--format', 'json', ...files], {
          cwd: REPO_ROOT,
          env: { ...process.env, RINGLINT_PARSER: runtime },
          maxBuffer: 64 * 1024 * 1024,
        }).then(
          (result) => result.stdout,
          // Exit status 1: problems found; the report is still on stdout.
          (error: { code?: number; stdout?: string; stderr?: string }) => {
            if (error.code !== 1 || !error.stdout) throw new Error(`eslint failed: ${error.stderr}`);
            return error.stdout;
          },
        );
        const results = JSON.parse(stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; line: number; column: number; message: string }> }>;
        return results.flatMap((result) => result.messages.map((message) => ({ file: result.filePath, ...message })));
      }),
    );
    expect(messages[0]!.filter((message) => message.ruleId?.startsWith('ringlint/')).length).toBeGreaterThan(20);
    expect(messages[0]!.filter((message) => message.ruleId === null)).toEqual([]);
    expect(messages[1]).toEqual(messages[0]);
  });
});
