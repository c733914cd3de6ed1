/**
 * End to end, as a user gets it: the packed package installed into a fresh project next to ESLint,
 * a two-line flat config with `configs.recommended` and `configs.c`, and the real `eslint` CLI on a
 * TS and a C file. Kept fast and offline-tolerant: the tarball is packed once per run for every test
 * that installs it, npm installs with --prefer-offline and --ignore-scripts, and tree-sitter's
 * native binding is copied from this repository's build (same version, same Node) instead of being
 * compiled again by node-gyp, which alone takes about a minute.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packedTarball } from '../package/packed-tarball.js';

const run = promisify(execFile);
const repo = join(import.meta.dirname, '..', '..');
const TREE_SITTER_BINDING = join('node_modules', '@ringlint', 'tree-sitter', 'build', 'Release', 'tree_sitter_runtime_binding.node');

let workspace: string;
let project: string;

interface LintMessage {
  ruleId: string | null;
  line: number;
  message: string;
}

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'ringlint-e2e-'));
  project = join(workspace, 'project');
  await mkdir(project);
  const tarball = await packedTarball();
  const eslintVersion = (JSON.parse(await readFile(join(repo, 'node_modules', 'eslint', 'package.json'), 'utf8')) as { version: string }).version;
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'ring-consumer', private: true, type: 'module' }));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball, `eslint@${eslintVersion}`], { cwd: project });
  const binding = join(project, TREE_SITTER_BINDING);
  await mkdir(join(binding, '..'), { recursive: true });
  await copyFile(join(repo, TREE_SITTER_BINDING), binding);

  await writeFile(
    join(project, 'eslint.config.js'),
    "import ringlint from 'ringlint/eslint-plugin';\nexport default [ringlint.configs.recommended, ringlint.configs.c];\n",
  );
  await writeFile(
    join(project, 'consumer.ts'),
    [
      'const TP_STATUS_KERNEL = 0;',
      'export function ready(statusWords: Int32Array, index: number): boolean {',
      '  return Atomics.load(statusWords, index) !== TP_STATUS_KERNEL;',
      '}',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(project, 'consumer.c'),
    [
      '#include <linux/if_packet.h>',
      'int read_frame(struct tpacket2_hdr *h)',
      '{',
      '\t// eslint-disable-next-line ringlint/truthy-status -- audited: the ring is never shared',
      '\tif (h->tp_status)',
      '\t\treturn 1;',
      '\tif (h->tp_status == TP_STATUS_KERNEL)',
      '\t\treturn 0;',
      '\treturn 2;',
      '}',
      '',
    ].join('\n'),
  );
}, 120_000);

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

async function eslint(): Promise<Map<string, LintMessage[]>> {
  const cli = join(project, 'node_modules', 'eslint', 'bin', 'eslint.js');
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, [cli, '--format', 'json', '.'], { cwd: project }));
  } catch (error) {
    // Exit status 1 means "problems found"; the report is still on stdout.
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    if (failure.code !== 1 || !failure.stdout) throw new Error(`eslint failed: ${failure.stderr ?? String(error)}`);
    stdout = failure.stdout;
  }
  const results = JSON.parse(stdout) as Array<{ filePath: string; messages: LintMessage[] }>;
  return new Map(results.map((result) => [result.filePath.slice(project.length + 1), result.messages]));
}

describe('the eslint CLI with ringlint installed from its tarball', () => {
  it('reports in a TS and a C file, honouring eslint-disable-next-line in C', async () => {
    const messages = await eslint();
    const summary = [...messages].flatMap(([file, list]) => list.map((message) => `${file}:${message.line} ${message.ruleId}`)).sort();
    expect(summary).toEqual(['consumer.c:7 ringlint/kernel-equality', 'consumer.ts:3 ringlint/kernel-equality']);
    expect(messages.get('consumer.c')?.[0]?.message).toMatch(/^slot ownership decided by == TP_STATUS_KERNEL; test the TP_STATUS_USER bit/);
  }, 60_000);
});
