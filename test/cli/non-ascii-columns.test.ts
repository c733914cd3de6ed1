/**
 * tree-sitter counts columns in UTF-16 code units (it parses JavaScript strings as UTF-16), like
 * JavaScript and ESLint. A line with non-ASCII text before the ownership test must be reported,
 * fixed and suppressed exactly as the same line in ASCII: the oracle is that line with every
 * non-ASCII character replaced by as many ASCII ones as it has UTF-16 code units. (Counted as
 * bytes, `--fix` rewrote `/* é *\/ h->tp_status != …` into `( h->tp_statu & …`.)
 */
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/eslint/plugin.js';
import { makeTempDir, removeTempDir, runCli, writeTree } from './cli-harness.js';

const consumer = (comment: string, trailer = ''): string =>
  `#include <linux/if_packet.h>\nint f(struct tpacket2_hdr *h)\n{\n\tif (/* ${comment} */ h->tp_status != TP_STATUS_KERNEL) return 1;${trailer}\n\treturn 0;\n}\n`;

const NON_ASCII = 'é 😀 日本';
/** The same length in UTF-16 code units, in ASCII. */
const ASCII = 'e xx ab';

describe('columns on a line with non-ASCII text', { timeout: 60_000 }, () => {
  let dir: string;

  beforeAll(async () => {
    dir = await makeTempDir();
    await writeTree(dir, { 'non-ascii/a.c': consumer(NON_ASCII), 'ascii/a.c': consumer(ASCII) });
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  async function scan(tree: string, args: string[]): Promise<string> {
    const result = await runCli(['scan', '--no-cache', ...args, tree], { cwd: dir });
    expect(result.code, result.stderr).toBe(1);
    return result.stdout;
  }

  it('are reported and fixed in UTF-16 code units by ringlint scan', async () => {
    expect(NON_ASCII.length).toBe(ASCII.length);
    const [nonAscii, ascii] = await Promise.all([scan('non-ascii', ['--format', 'json']), scan('ascii', ['--format', 'json'])]);
    const columns = (json: string): string[] => (JSON.parse(json) as { findings: Array<{ column: number; endColumn: number }> }).findings.map((finding) => `${finding.column}-${finding.endColumn}`);
    expect(columns(nonAscii)).toEqual(columns(ascii));
    const line = consumer(NON_ASCII).split('\n')[3]!; // the test's line
    expect(columns(nonAscii)).toEqual([`${line.indexOf('h->') + 1}-${line.indexOf(') return') + 1}`]);
    const [nonAsciiDiff, asciiDiff] = await Promise.all([scan('non-ascii', ['--fix-dry-run']), scan('ascii', ['--fix-dry-run'])]);
    expect(nonAsciiDiff.replaceAll(NON_ASCII, ASCII).replaceAll('non-ascii/', 'ascii/')).toBe(asciiDiff);
    expect(asciiDiff).toContain(`+\tif (/* ${ASCII} */ (h->tp_status & TP_STATUS_USER) != 0) return 1;`);
  });

  it("are ESLint's columns in the ringlint/c language: fixes and disable comments after non-ASCII text", async () => {
    const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [plugin.configs.c], fix: true });
    const lint = async (text: string): Promise<{ output: string | undefined; messages: string[] }> => {
      const [result] = await eslint.lintText(text, { filePath: join(dir, 'lint.c') });
      return { output: result?.output, messages: (result?.messages ?? []).map((message) => `${message.line}:${message.column} ${message.ruleId}`) };
    };
    const [nonAscii, ascii] = await Promise.all([lint(consumer(NON_ASCII)), lint(consumer(ASCII))]);
    expect(ascii.output).toContain('(h->tp_status & TP_STATUS_USER)');
    expect(nonAscii.output?.replaceAll(NON_ASCII, ASCII)).toBe(ascii.output);
    expect(nonAscii.messages).toEqual(ascii.messages);
    // The directive follows the non-ASCII comment on the same line.
    const suppressed = await new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [plugin.configs.c] }).lintText(
      consumer(NON_ASCII, ' /* eslint-disable-line ringlint/kernel-equality */'),
      { filePath: join(dir, 'suppressed.c') },
    );
    expect(suppressed[0]?.messages.map((message) => message.ruleId)).not.toContain('ringlint/kernel-equality');
    expect(suppressed[0]?.messages.filter((message) => message.ruleId === null)).toEqual([]);
  });
});
