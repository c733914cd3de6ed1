/**
 * The plugin through ESLint's own API, as a project's eslint.config.js uses it: the C language's
 * disable directives and inline config under the real rule names (RuleTester renames rules), one
 * run over C and TS together, and bad input that must never take ESLint down.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import js from '@eslint/js';
import { ESLint } from 'eslint';
import { ESLint as ESLint9 } from 'eslint-v9';
import tseslint from 'typescript-eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/eslint/plugin.js';
import { analyzeTypeScript } from '../../src/ts/analyze.js';

let project: string;
let eslint: ESLint;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'ringlint-eslint-'));
  eslint = new ESLint({ cwd: project, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended, plugin.configs.c] });
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

const C_CONSUMER = (line: string): string =>
  `#include <linux/if_packet.h>\nint read_frame(struct tpacket2_hdr *h)\n{\n${line}\n\treturn 0;\n}\n`;

async function lint(text: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: join(project, file) });
  return (result?.messages ?? []).map((message) => `${message.line} ${message.ruleId ?? 'fatal'}`);
}

describe('C files through the ringlint/c language', () => {
  const unsafe = '\tif (h->tp_status != TP_STATUS_KERNEL) return h->tp_len;';

  it('reports with the rule names of the plugin', async () => {
    expect(await lint(C_CONSUMER(unsafe), 'a.c')).toEqual(['4 ringlint/kernel-equality', '4 ringlint/status-read-without-acquire']);
  });

  it.each([
    ['eslint-disable-next-line in a block comment', `\t/* eslint-disable-next-line ringlint/kernel-equality -- audited */\n${unsafe}`, ['5 ringlint/status-read-without-acquire']],
    ['eslint-disable-next-line in a line comment', `\t// eslint-disable-next-line ringlint/kernel-equality, ringlint/status-read-without-acquire\n${unsafe}`, []],
    ['eslint-disable-line', `${unsafe} /* eslint-disable-line */`, []],
    ['eslint-disable … eslint-enable', `\t/* eslint-disable ringlint/status-read-without-acquire */\n${unsafe}\n\t/* eslint-enable */`, ['5 ringlint/kernel-equality']],
    ['inline rule config', `\t/* eslint ringlint/kernel-equality: "off" */\n${unsafe}`, ['5 ringlint/status-read-without-acquire']],
  ])('honours %s', async (_name, body, expected) => {
    expect(await lint(C_CONSUMER(body), 'b.c')).toEqual(expected);
  });

  it('ignores eslint-disable in a line comment, as ESLint does in JavaScript', async () => {
    expect(await lint(C_CONSUMER(`\t// eslint-disable ringlint/kernel-equality\n${unsafe}`), 'line.c')).toEqual(['5 ringlint/kernel-equality', '5 ringlint/status-read-without-acquire']);
  });

  it('reports a disable directive that spans lines as a problem', async () => {
    const messages = await lint(C_CONSUMER(`${unsafe} /* eslint-disable-line\n */`), 'c.c');
    expect(messages).toContain('4 fatal');
  });

  it('lints C that does not parse cleanly without failing', async () => {
    expect(await lint('#define X(\nint f( { if (h->tp_status) ;;; }}}\n', 'broken.c')).toEqual(expect.any(Array));
  });

  it('reports C with lone CR line ends at the lines and columns gcc gives, and honours its directives (F28)', async () => {
    const crOnly = (text: string) => text.replace(/\n/g, '\r');
    const [result] = await eslint.lintText(crOnly(C_CONSUMER(unsafe)), { filePath: join(project, 'cr.c') });
    expect(result?.messages.map((message) => `${message.line}:${message.column} ${message.ruleId}`)).toEqual([
      '4:6 ringlint/kernel-equality',
      '4:6 ringlint/status-read-without-acquire',
    ]);
    expect(await lint(crOnly(C_CONSUMER(`\t// eslint-disable-next-line ringlint/kernel-equality -- audited\n${unsafe}`)), 'cr2.c')).toEqual([
      '5 ringlint/status-read-without-acquire',
    ]);
  });

  it('says it did not analyse binary and UTF-16 files, as ringlint scan lists them (F29)', async () => {
    // Apart from the project: its other tests lint the whole of it.
    const files = await mkdtemp(join(tmpdir(), 'ringlint-eslint-unreadable-'));
    const consumer = C_CONSUMER(unsafe);
    await writeFile(join(files, 'utf16le.c'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(consumer, 'utf16le')]));
    await writeFile(join(files, 'utf16be.c'), Buffer.from(consumer, 'utf16le').swap16());
    await writeFile(join(files, 'binary.c'), Uint8Array.from({ length: 4096 }, (_, index) => (index * 7919) % 256));
    await writeFile(join(files, 'text.c'), consumer);
    const results = await new ESLint({ cwd: files, overrideConfigFile: true, overrideConfig: [plugin.configs.c] }).lintFiles(['.']).finally(() => rm(files, { recursive: true, force: true }));
    const byFile = Object.fromEntries(results.map((result) => [result.filePath.slice(files.length + 1), result.messages.map((message) => `${message.line}:${message.column} ${message.ruleId} ${message.message}`)]));
    const notAnalysed = ['1:1 ringlint/kernel-equality ringlint did not analyse this file: binary file, skipped'];
    expect(byFile).toEqual({
      'binary.c': notAnalysed,
      'utf16be.c': notAnalysed,
      'utf16le.c': notAnalysed,
      'text.c': [expect.stringMatching(/^4:6 ringlint\/kernel-equality /), expect.stringMatching(/^4:6 ringlint\/status-read-without-acquire /)],
    });
  });
});

describe.each([
  ['10', ESLint],
  ['9', ESLint9 as unknown as typeof ESLint],
])('C files beside every rule written for JavaScript, ESLint %s', { timeout: 60_000 }, (_major, Engine) => {
  // Every core rule and every typescript-eslint rule, typed ones included, with no `files`: all of them reach the C file.
  const everyRule = { ...js.configs.all.rules, ...Object.assign({}, ...tseslint.configs.all.map((config) => config.rules ?? {})) } as Record<string, unknown>;
  // Needs ESLint's scope analysis of JavaScript, which a C file cannot give (README: scope it to JS/TS files).
  delete everyRule['@typescript-eslint/naming-convention'];

  it.each(['a.c', 'a.h'])('%s: set up without failing, and nothing reported but ringlint findings', async (file) => {
    const engine = new Engine({
      cwd: project,
      overrideConfigFile: true,
      overrideConfig: [
        tseslint.configs.base,
        { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: project } } },
        plugin.configs.c,
        { rules: everyRule } as never,
      ],
    });
    const [result] = await engine.lintText(C_CONSUMER('\tif (h->tp_status != TP_STATUS_KERNEL) return h->tp_len;'), { filePath: join(project, file) });
    expect(result?.messages.map((message) => message.ruleId)).toEqual(['ringlint/kernel-equality', 'ringlint/status-read-without-acquire']);
  });
});

describe('TS and JS files through configs.recommended', { timeout: 60_000 }, () => {
  it('reports in one run over C and TS files', async () => {
    await writeFile(join(project, 'consumer.c'), C_CONSUMER('\tif (!h->tp_status) return 0;'));
    await writeFile(join(project, 'consumer.ts'), 'const TP_STATUS_KERNEL = 0;\nexport const ready = (h: { tp_status: number }) => h.tp_status !== TP_STATUS_KERNEL;\n');
    const results = await eslint.lintFiles(['.']);
    const byFile = results.map((result) => `${result.filePath.slice(project.length + 1)}: ${result.messages.map((message) => message.ruleId).join(', ')}`).sort();
    expect(byFile).toEqual(['consumer.c: ringlint/truthy-status', 'consumer.ts: ringlint/kernel-equality']);
  });

  it("reports the finding's own message, without its related locations", async () => {
    const code =
      'const TP_STATUS_KERNEL = 0;\nconst mine = (h: { tp_status: number }) => h.tp_status !== TP_STATUS_KERNEL;\n' +
      'export function poll(h: { tp_status: number; tp_len: number }, deliver: (n: number) => void) {\n  if (mine(h)) deliver(h.tp_len);\n}\n';
    const path = join(project, 'helper.ts');
    const [expected] = analyzeTypeScript([{ path: 'helper.ts', absolutePath: path, text: code }]).findings.filter((finding) => finding.ruleId === 'RL001' && finding.line === 4);
    expect(expected?.related).not.toEqual([]);
    const [result] = await eslint.lintText(code, { filePath: path });
    const reported = result?.messages.find((message) => message.ruleId === 'ringlint/kernel-equality' && message.line === 4);
    expect(reported?.message).toBe(expected?.message);
    expect(reported?.message).not.toContain('at helper.ts:2:');
  });

  it('reports a syntax error as ESLint does, without crashing', async () => {
    const [result] = await eslint.lintText('export const f = (h) => { if (h.tp_status !=== 0) }', { filePath: join(project, 'syntax.ts') });
    expect(result?.messages).toEqual([expect.objectContaining({ fatal: true })]);
  });

  it('analyses files under a broken tsconfig.json with default options', async () => {
    const nested = await mkdtemp(join(project, 'broken-'));
    await writeFile(join(nested, 'tsconfig.json'), '{ "compilerOptions": ');
    const [result] = await eslint.lintText('export const f = (h: { tp_status: number }) => (h.tp_status ? 1 : 0);\n', { filePath: join(nested, 'x.ts') });
    expect(result?.messages.map((message) => message.ruleId)).toEqual(['ringlint/truthy-status']);
  });

  it('uses the tsconfig of typed linting (parserOptions.project) to resolve imports', async () => {
    const typed = await mkdtemp(join(project, 'typed-'));
    await mkdir(join(typed, 'config'));
    await mkdir(join(typed, 'ring'));
    // Not named tsconfig.json, so only typed linting can point the analysis at it.
    await writeFile(
      join(typed, 'config', 'tsconfig.typed.json'),
      JSON.stringify({ compilerOptions: { baseUrl: '..', paths: { '@ring/*': ['ring/*'] }, module: 'esnext', moduleResolution: 'bundler' }, include: ['../*.ts', '../ring/*.ts'] }),
    );
    await writeFile(join(typed, 'ring', 'constants.ts'), 'const TP_STATUS_KERNEL = 0;\nexport const SLOT_FREE = TP_STATUS_KERNEL;\n');
    const consumer = join(typed, 'consumer.ts');
    const code = "import { SLOT_FREE } from '@ring/constants';\nexport const mine = (h: { tp_status: number }) => h.tp_status !== SLOT_FREE;\n";
    await writeFile(consumer, code);
    const typedLint = new ESLint({
      cwd: typed,
      overrideConfigFile: true,
      overrideConfig: [
        plugin.configs.recommended,
        { files: ['**/*.ts'], languageOptions: { parserOptions: { project: './config/tsconfig.typed.json', tsconfigRootDir: typed } } },
      ],
    });
    const [withTypes] = await typedLint.lintText(code, { filePath: consumer });
    expect(withTypes?.messages.map((message) => message.ruleId)).toEqual(['ringlint/kernel-equality']);
    // Without the project's tsconfig the import does not resolve, and a bare name says nothing.
    const [untyped] = await eslint.lintText(code, { filePath: consumer });
    expect(untyped?.messages).toEqual([]);
  });

  it('skips a huge generated file and says so only when it mentions the status word', async () => {
    const filler = `// ${'x'.repeat(100)}\n`.repeat(90_000);
    const [quiet] = await eslint.lintText(`${filler}export const a = 1;\n`, { filePath: join(project, 'generated.js') });
    expect(quiet?.messages).toEqual([]);
    const [told] = await eslint.lintText(`${filler}export const a = (h) => !h.tp_status;\n`, { filePath: join(project, 'generated2.js') });
    expect(told?.messages.map((message) => message.message)).toEqual([expect.stringMatching(/size limit .* not analysed/)]);
  });
});
