/**
 * The catalog's `fix` is the one declaration of how each rule's rewrite is offered, and both public
 * surfaces obey it: `ringlint scan --fix` (the built CLI) rewrites exactly the `auto` rules' findings;
 * ESLint declares `fixable` for those and `hasSuggestions` for the `suggest` ones, applies the first
 * on --fix and only offers the second; and the two --fix runs write the same file.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/eslint/plugin.js';
import { rules } from '../../src/eslint/rules.js';
import { RULES, type FixKind, type RuleMeta } from '../../src/rules/catalog.js';
import { makeTempDir, removeTempDir, runCli, scanJson, writeTree } from '../cli/cli-harness.js';

/** One finding of each rule that has a rewrite, and one that has none (RL004), besides their reads. */
const SAMPLES: Record<string, string> = {
  'ring.c': `#include <linux/if_packet.h>

static unsigned int status_of(struct tpacket2_hdr *h)
{
	return __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
}

int kernel_equality(struct tpacket2_hdr *h)
{
	if (status_of(h) != TP_STATUS_KERNEL)
		return h->tp_len;
	return 0;
}

int truthy_status(struct tpacket2_hdr *h)
{
	if (status_of(h))
		return h->tp_len;
	return 0;
}

int exact_user(struct tpacket2_hdr *h)
{
	if (status_of(h) == TP_STATUS_USER)
		return h->tp_len;
	return 0;
}

int mask_precedence(struct tpacket2_hdr *h)
{
	if (status_of(h) & TP_STATUS_USER == 0)
		return 0;
	return h->tp_len;
}

int block_ready(struct tpacket_block_desc *b)
{
	return __atomic_load_n(&b->hdr.bh1.block_status, __ATOMIC_ACQUIRE) != TP_STATUS_KERNEL;
}
`,
  'ring.ts': `const TP_STATUS_KERNEL = 0, TP_STATUS_USER = 1;
interface Hdr { tp_status: number; tp_len: number }
declare function deliver(length: number): void;
export function kernelEquality(h: Hdr) { if (h.tp_status !== TP_STATUS_KERNEL) deliver(h.tp_len); }
export function truthyStatus(h: Hdr) { if (h.tp_status) deliver(h.tp_len); }
export function exactUser(h: Hdr) { if (h.tp_status === TP_STATUS_USER) deliver(h.tp_len); }
export function maskPrecedence(h: Hdr) { if (h.tp_status & TP_STATUS_USER === 0) return; deliver(h.tp_len); }
`,
};

const ruleOf = (id: string): RuleMeta => RULES.find((rule) => rule.id === id)!;
const eslintNameOf = (id: string): string => `ringlint/${ruleOf(id).name}`;

describe('fix kinds, from the catalog to both surfaces', () => {
  let dir: string;
  let before: Map<string, string[]>;
  let afterCliFix: Map<string, string[]>;
  let cliFixed: Map<string, string>;
  let eslint: ESLint;
  let eslintFixing: ESLint;

  /** Rule ids reported per file, from the JSON report. */
  async function reported(): Promise<Map<string, string[]>> {
    const { report } = await scanJson(['--no-cache', '.'], { cwd: dir });
    const byFile = new Map<string, string[]>(Object.keys(SAMPLES).map((file) => [file, []]));
    for (const finding of report.findings) byFile.get(finding.file)?.push(finding.ruleId);
    return byFile;
  }

  beforeAll(async () => {
    dir = await makeTempDir();
    await writeTree(dir, SAMPLES);
    before = await reported();
    const fixRun = await runCli(['scan', '--no-cache', '--fix', '.'], { cwd: dir });
    expect(fixRun.stderr).toMatch(/^ringlint: fixed \d+ findings in 2 files\n/);
    afterCliFix = await reported();
    cliFixed = new Map(await Promise.all(Object.keys(SAMPLES).map(async (file) => [file, await readFile(join(dir, file), 'utf8')] as const)));
    const config: ESLint.Options = { cwd: dir, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended, plugin.configs.c] };
    eslint = new ESLint(config);
    eslintFixing = new ESLint({ ...config, fix: true });
  }, 120_000);
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('the samples cover every fix kind, in both languages', () => {
    for (const ids of before.values()) {
      const kinds = new Set(ids.map((id) => ruleOf(id).fix));
      expect([...kinds].sort()).toEqual((['auto', 'none', 'suggest'] satisfies FixKind[]).sort());
    }
  });

  it('ringlint scan --fix rewrites the auto rules and leaves the others reported', () => {
    for (const [file, ids] of before) {
      const expected = ids.filter((id) => ruleOf(id).fix !== 'auto');
      expect(afterCliFix.get(file), file).toEqual(expected);
    }
  });

  it("ESLint's rule meta says what the catalog says", () => {
    for (const rule of RULES) {
      const meta = rules[rule.name]!.meta!;
      expect({ fixable: meta.fixable, hasSuggestions: meta.hasSuggestions }, rule.id).toEqual({
        fixable: rule.fix === 'auto' ? 'code' : undefined,
        hasSuggestions: rule.fix === 'suggest' ? true : undefined,
      });
    }
  });

  it('ESLint offers a fix for the auto rules and a suggestion for the suggest ones, and nothing else', async () => {
    for (const [file, text] of Object.entries(SAMPLES)) {
      const [result] = await eslint.lintText(text, { filePath: join(dir, file) });
      const offered = result!.messages
        .filter((message) => message.ruleId?.startsWith('ringlint/'))
        .map((message) => `${message.ruleId} fix:${message.fix !== undefined} suggestions:${message.suggestions?.length ?? 0}`)
        .sort();
      const expected = before
        .get(file)!
        .map((id) => `${eslintNameOf(id)} fix:${ruleOf(id).fix === 'auto'} suggestions:${ruleOf(id).fix === 'suggest' ? 1 : 0}`)
        .sort();
      expect(offered, file).toEqual(expected);
    }
  });

  it('eslint --fix writes what ringlint scan --fix writes', async () => {
    for (const [file, text] of Object.entries(SAMPLES)) {
      const [result] = await eslintFixing.lintText(text, { filePath: join(dir, file) });
      expect(result!.output, file).toBe(cliFixed.get(file));
      const left = result!.messages.filter((message) => message.ruleId?.startsWith('ringlint/')).map((message) => message.ruleId).sort();
      expect(left, file).toEqual(afterCliFix.get(file)!.map(eslintNameOf).sort());
    }
  });
});
