/**
 * reviewdog reads rdjson columns as 1-based UTF-8 byte offsets; ringlint's JSON and SARIF count
 * UTF-16 code units. On a line with non-ASCII text before the reported code the two differ.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir, runCli, scanJson, writeTree } from './cli-harness.js';

const READ_LINE = '\t/* é */ unsigned s = h->tp_status;';
const TEST_LINE = '\t/* Grüße € */ if (s != TP_STATUS_KERNEL) return 1;';
const CONSUMER = `int f(struct tpacket2_hdr *h)\n{\n${READ_LINE}\n${TEST_LINE}\n\treturn 0;\n}\n`;

/** 1-based columns of `part` in `line`: in UTF-16 code units, and in UTF-8 bytes. */
function columnsOf(line: string, part: string): { utf16: number; bytes: number } {
  const index = line.indexOf(part);
  if (index < 0) throw new Error(`${part} is not in ${line}`);
  return { utf16: index + 1, bytes: Buffer.byteLength(line.slice(0, index)) + 1 };
}

interface RdjsonPosition {
  line: number;
  column: number;
}

describe('rdjson columns', { timeout: 30_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    await writeTree(dir, { 'consumer.c': CONSUMER });
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('are UTF-8 byte offsets for the finding, its related locations and its fix, where JSON counts UTF-16 units', async () => {
    const start = columnsOf(TEST_LINE, 's != ');
    const end = columnsOf(TEST_LINE, ') return');
    const read = columnsOf(READ_LINE, 'h->tp_status');
    expect(start.bytes - start.utf16).toBe(4); // ü, ß and € take 2, 2 and 3 bytes

    const { report } = await scanJson([], { cwd: dir });
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ line: 4, column: start.utf16, endLine: 4, endColumn: end.utf16 });
    expect(report.findings[0]!.related).toMatchObject([{ line: 3, column: read.utf16 }]);

    const run = await runCli(['scan', '--format', 'rdjson'], { cwd: dir });
    const rdjson = JSON.parse(run.stdout) as {
      diagnostics: Array<{
        location: { range: { start: RdjsonPosition; end: RdjsonPosition } };
        related_locations: Array<{ location: { range: { start: RdjsonPosition } } }>;
        suggestions: Array<{ range: { start: RdjsonPosition; end: RdjsonPosition }; text: string }>;
      }>;
    };
    const [diagnostic] = rdjson.diagnostics;
    expect(diagnostic!.location.range).toEqual({ start: { line: 4, column: start.bytes }, end: { line: 4, column: end.bytes } });
    expect(diagnostic!.related_locations.map((related) => related.location.range.start)).toEqual([{ line: 3, column: read.bytes }]);
    // The fix rewrites the test the finding spans.
    expect(diagnostic!.suggestions).toEqual([{ range: { start: { line: 4, column: start.bytes }, end: { line: 4, column: end.bytes } }, text: '(s & TP_STATUS_USER) != 0' }]);
  });
});
