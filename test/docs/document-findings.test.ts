/**
 * Findings in a document's code blocks are reported at the document's own lines and columns, also
 * when the block sits in a block quote or a list item, through a macro defined in the block too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir, scanJson, writeTree } from '../cli/cli-harness.js';

const CODE = [
  '#define SLOT_IS_MINE(h) ((h)->tp_status != TP_STATUS_KERNEL)',
  'int f(struct tpacket2_hdr *h) {',
  '\tif (SLOT_IS_MINE(h)) return 1;',
  '\treturn 0;',
  '}',
];

/** The code in a fence, each line after `prefix` (the fence line after `first`). */
function documentWith(first: string, prefix: string): string {
  return ['# Reading the ring', '', 'Some text.', '', `${first}\`\`\`c`, ...CODE.map((line) => prefix + line), `${prefix}\`\`\``, ''].join('\n');
}

/** 1-based column of `part` on the 1-based `line` of `text`. */
function columnOf(text: string, line: number, part: string): number {
  const index = text.split('\n')[line - 1]!.indexOf(part);
  if (index < 0) throw new Error(`${part} is not on line ${line}`);
  return index + 1;
}

describe('findings in Markdown code blocks', { timeout: 30_000 }, () => {
  let dir: string;
  const documents: Record<string, string> = {
    'plain.md': documentWith('', ''),
    'quoted.md': documentWith('> ', '> '),
    'listed.md': documentWith('1. ', '   '),
    'quoted-in-list.md': documentWith('- > ', '  > '),
  };
  beforeAll(async () => {
    dir = await makeTempDir();
    await writeTree(dir, documents);
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it.each(Object.keys(documents))('%s: at the lines and columns of the document', async (file) => {
    const text = documents[file]!;
    const { report } = await scanJson([file], { cwd: dir });
    expect(report.errors).toEqual([]);
    const [finding, ...others] = report.findings;
    expect(others).toEqual([]);
    // The call on the 8th line, through the macro on the 6th.
    expect(finding).toMatchObject({ ruleId: 'RL001', file, line: 8, column: columnOf(text, 8, 'SLOT_IS_MINE(h))'), endLine: 8, endColumn: columnOf(text, 8, ') return') });
    expect(finding!.related.map(({ line, column }) => ({ line, column }))).toEqual([
      { line: 6, column: columnOf(text, 6, '#define') },
      { line: 6, column: columnOf(text, 6, 'h)->tp_status') }, // the macro's comparison, its parameter's parentheses aside
    ]);
  });
});
