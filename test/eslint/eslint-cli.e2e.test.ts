/**
 * End to end, as a user gets it: the packed package installed into fresh projects next to ESLint 10
 * and ESLint 9, `@eslint/js` and typescript-eslint, and the real `eslint` CLI on a TS, a JS, a C and
 * a header file, and a C++ file, under the configs users write: the README's (js + typed typescript-eslint + ringlint),
 * the same in reverse order, typescript-eslint's strict and stylistic typed configs, and configs the
 * user scoped with `files`. Every config must give exactly ringlint's findings, and no rule written
 * for JavaScript may fail on, or report in, the C and C++ files.
 *
 * Kept fast and offline-tolerant: the tarball is packed once per run for every test that installs
 * it, both projects install at once with --prefer-offline and --ignore-scripts from the npm cache
 * (the repository's dev dependencies put every package there, eslint 9 through the `eslint-v9`
 * alias), and tree-sitter's native binding is copied from this repository's build (same version,
 * same Node) instead of being compiled again by node-gyp.
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

interface LintMessage {
  ruleId: string | null;
  line: number;
  message: string;
  fatal?: boolean;
  severity: number;
}

const versionOf = async (packageDirectory: string): Promise<string> =>
  (JSON.parse(await readFile(join(repo, 'node_modules', packageDirectory, 'package.json'), 'utf8')) as { version: string }).version;

/** The README's config, as a user copies it. */
async function readmeConfig(): Promise<string> {
  const readme = await readFile(join(repo, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## ESLint\n'));
  const block = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README: no js block in the ESLint section');
  return block;
}

const TYPED = '{ languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } }';
const IMPORTS = [
  "import js from '@eslint/js';",
  "import { defineConfig } from 'eslint/config';",
  "import tseslint from 'typescript-eslint';",
  "import ringlint from 'ringlint/eslint-plugin';",
  '',
].join('\n');

/** Config files beside the README's eslint.config.js, by case name. */
const OTHER_CONFIGS: Record<string, string> = {
  'reverse order': `${IMPORTS}export default defineConfig(ringlint.configs.c, ringlint.configs.recommended, ${TYPED}, tseslint.configs.recommendedTypeChecked, js.configs.recommended);\n`,
  'strict and stylistic typed configs': `${IMPORTS}export default defineConfig(tseslint.configs.strictTypeChecked, tseslint.configs.stylisticTypeChecked, ${TYPED}, ringlint.configs.c, ringlint.configs.recommended);\n`,
  'scopes written by the user': `${IMPORTS}export default defineConfig(
  { files: ['**/*.{ts,js,mjs}'], extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked], ...${TYPED} },
  { files: ['src/**/*.{c,h,cc}'], extends: [ringlint.configs.c] },
  { files: ['src/**/*.{ts,js}'], extends: [ringlint.configs.recommended] },
);\n`,
};
const configFile = (name: string): string => `eslint.${name.replace(/\W+/g, '-')}.config.mjs`;

const SOURCES: Record<string, string> = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: { strict: true, allowJs: true, checkJs: false, noEmit: true, skipLibCheck: true, target: 'es2022', module: 'nodenext' },
    include: ['src', '*.js', '*.mjs'],
  }),
  'src/consumer.ts': [
    'const TP_STATUS_KERNEL = 0;',
    'export function ready(statusWords: Int32Array, index: number): boolean {',
    '  return Atomics.load(statusWords, index) !== TP_STATUS_KERNEL;',
    '}',
    '',
  ].join('\n'),
  'src/helper.js': 'export const ready = (h) => !h.tp_status;\n',
  'src/ring.c': [
    '#include <linux/if_packet.h>',
    '#include "ring.h"',
    'int read_frame(struct tpacket2_hdr *h)',
    '{',
    '\t// eslint-disable-next-line ringlint/truthy-status -- audited: the ring is never shared',
    '\tif (h->tp_status)',
    '\t\treturn 1;',
    '\t// ringlint-disable-next-line RL003 -- this replay tool writes frames without flag bits',
    '\tif (h->tp_status == TP_STATUS_USER)',
    '\t\treturn 3;',
    '\tif (h->tp_status == TP_STATUS_KERNEL)',
    '\t\treturn 0;',
    '\treturn 2;',
    '}',
    '',
  ].join('\n'),
  'src/frames.cc': [
    '#include <atomic>',
    '#include <linux/if_packet.h>',
    'class Frames {',
    ' public:',
    '  bool mine(tpacket2_hdr *h) const {',
    '    return std::atomic_ref<uint32_t>(h->tp_status).load(std::memory_order_acquire) != TP_STATUS_KERNEL;',
    '  }',
    '  // ringlint-disable-next-line RL002 -- a test double: frames are filled before the ring is handed over',
    '  bool filled(tpacket2_hdr *h) const { return std::atomic_ref<uint32_t>(h->tp_status).load(std::memory_order_acquire); }',
    '};',
    '',
  ].join('\n'),
  'src/ring.h': [
    '/* Slot helpers. */',
    'static inline int slot_ready(const struct tpacket2_hdr *h)',
    '{',
    '\treturn h->tp_status != TP_STATUS_KERNEL;',
    '}',
    '',
  ].join('\n'),
};

/** Exactly what ringlint reports, whichever config it sits in. */
const RINGLINT_FINDINGS = [
  'src/consumer.ts:3 ringlint/kernel-equality',
  'src/frames.cc:6 ringlint/kernel-equality',
  'src/helper.js:1 ringlint/truthy-status',
  'src/ring.c:11 ringlint/kernel-equality',
  'src/ring.h:4 ringlint/kernel-equality',
];

/** Records, at exit, whether ts-morph was loaded: a typed run must analyse typescript-eslint's program, not build its own. */
const MODULE_PROBE = "process.on('exit', () => require('node:fs').writeFileSync(process.env.MODULE_LOG, Object.keys(require.cache).join('\\n')));\n";

let workspace: string;
const results = new Map<string, { messages: Map<string, LintMessage[]>; modules?: string[] }>();
const ESLINT_MAJORS = ['10', '9'] as const;
/**
 * ESLint 10 runs every composition; ESLint 9, the README's (js, typed typescript-eslint and both
 * ringlint configs): what differs between the majors is how a language and its SourceCode are
 * loaded, which any one composition shows, and each typed run costs seconds.
 */
const casesOf = (major: (typeof ESLINT_MAJORS)[number]): string[] => ['README config', ...(major === '10' ? Object.keys(OTHER_CONFIGS) : [])];

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'ringlint-e2e-'));
  const tarball = await packedTarball();
  const shared = [`typescript-eslint@${await versionOf('typescript-eslint')}`, `typescript@${await versionOf('typescript')}`];
  const packages = {
    '10': [`eslint@${await versionOf('eslint')}`, `@eslint/js@${await versionOf('@eslint/js')}`],
    '9': [`eslint@${await versionOf('eslint-v9')}`, `@eslint/js@${await versionOf('eslint-v9/node_modules/@eslint/js')}`],
  };
  const config = await readmeConfig();
  await writeFile(join(workspace, 'module-probe.cjs'), MODULE_PROBE);
  await Promise.all(
    ESLINT_MAJORS.map(async (major) => {
      const project = join(workspace, `eslint${major}`);
      await mkdir(join(project, 'src'), { recursive: true });
      await writeFile(join(project, 'package.json'), JSON.stringify({ name: `ring-consumer-${major}`, private: true, type: 'module' }));
      await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball, ...packages[major], ...shared], { cwd: project });
      const binding = join(project, TREE_SITTER_BINDING);
      await mkdir(join(binding, '..'), { recursive: true });
      await copyFile(join(repo, TREE_SITTER_BINDING), binding);
      for (const [file, text] of Object.entries(SOURCES)) await writeFile(join(project, file), text);
      await writeFile(join(project, 'eslint.config.js'), config);
      for (const [name, text] of Object.entries(OTHER_CONFIGS)) await writeFile(join(project, configFile(name)), text);
      // One project's cases one after another, the two projects side by side.
      const moduleLog = join(project, 'modules.log');
      results.set(`${major} README config`, {
        messages: await eslint(project, ['.'], { NODE_OPTIONS: `--require=${join(workspace, 'module-probe.cjs')}`, MODULE_LOG: moduleLog }),
        modules: (await readFile(moduleLog, 'utf8')).split('\n'),
      });
      for (const name of casesOf(major).slice(1)) {
        results.set(`${major} ${name}`, { messages: await eslint(project, ['-c', configFile(name), 'src']) });
      }
    }),
  );
}, 600_000);

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

async function eslint(project: string, args: string[], env: Record<string, string> = {}): Promise<Map<string, LintMessage[]>> {
  const cli = join(project, 'node_modules', 'eslint', 'bin', 'eslint.js');
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, [cli, '--format', 'json', ...args], { cwd: project, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }));
  } catch (error) {
    // Exit status 1 means "problems found"; the report is still on stdout. 2 is a crash.
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    if (failure.code !== 1 || !failure.stdout) throw new Error(`eslint ${args.join(' ')} failed in ${project}: ${failure.stderr ?? String(error)}`);
    stdout = failure.stdout;
  }
  const reports = JSON.parse(stdout) as Array<{ filePath: string; messages: LintMessage[] }>;
  return new Map(reports.map((report) => [report.filePath.slice(project.length + 1), report.messages]));
}

describe.each(ESLINT_MAJORS)('ESLint %s with ringlint installed from its tarball', (major) => {
  it.each(casesOf(major))('%s: exactly ringlint findings, and nothing from other rules on the C and C++ files', (name) => {
    const { messages } = results.get(`${major} ${name}`)!;
    const sources = [...messages].filter(([file]) => file.startsWith('src/'));
    expect(sources.map(([file]) => file).sort()).toEqual(['src/consumer.ts', 'src/frames.cc', 'src/helper.js', 'src/ring.c', 'src/ring.h']);
    const ringlint = sources.flatMap(([file, list]) => list.filter((message) => message.ruleId?.startsWith('ringlint/')).map((message) => `${file}:${message.line} ${message.ruleId}`));
    expect(ringlint.sort()).toEqual(RINGLINT_FINDINGS);
    for (const [file, list] of sources) {
      expect(list.filter((message) => message.fatal), file).toEqual([]);
      if (/\.(c|h|cc)$/.test(file)) expect(list.filter((message) => !message.ruleId?.startsWith('ringlint/')), file).toEqual([]);
    }
  });

  it('README config: a message is the finding itself, and honours eslint-disable and ringlint-disable in C', () => {
    const { messages } = results.get(`${major} README config`)!;
    const [finding] = messages.get('src/ring.c') ?? [];
    expect(finding?.message).toMatch(/TP_STATUS_USER/);
    expect(finding?.message).not.toMatch(/ at src\//);
    // The directive was used: ESLint would report it otherwise (reportUnusedDisableDirectives is on by default).
    expect(messages.get('src/ring.c')?.map((message) => message.ruleId)).toEqual(['ringlint/kernel-equality']);
  });

  it('README config: the typed run analyses typescript-eslint program and builds none of its own', () => {
    const { modules } = results.get(`${major} README config`)!;
    expect(modules?.filter((path) => /[\\/]ts-morph[\\/]/.test(path))).toEqual([]);
    expect(modules?.filter((path) => /[\\/]typescript[\\/]lib[\\/]typescript\.js$/.test(path))).toHaveLength(1);
  });
});
