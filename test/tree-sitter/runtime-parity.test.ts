/**
 * The WebAssembly fallback must parse exactly as the native runtime does. The native parser is the
 * oracle: on every fixture file, every C block of the fixture documents, libpcap's ring consumer
 * when the corpus has been fetched (.cache/corpus), and texts made to stress positions (non-ASCII,
 * astral characters, CRLF and lone CR line ends, a character cut by the 64 KiB chunks the parsers
 * read), both runtimes must give the same nodes: type, field, named or not, missing or not, start
 * and end index and position, and what the analysis asks through the node API.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findCBlocks } from '../../src/docs/extract-fragments.js';
import { loadGrammarParser, type GrammarParser, type TreeSitterNode } from '../../src/tree-sitter/grammar-parser.js';
import { cFiles } from '../c/fixture-c-files.js';

const REPO = join(import.meta.dirname, '..', '..');
const LIBPCAP = join(REPO, '.cache', 'corpus');

/** Every node in document order, one line each, as the cursor reports it, and again through the node API. */
function nodesOf(root: TreeSitterNode): string[] {
  const lines: string[] = [];
  const cursor = root.walk();
  let depth = 0;
  for (;;) {
    const field = cursor.currentFieldId ? cursor.currentFieldName : '';
    const { startPosition: start, endPosition: end } = cursor;
    lines.push(
      `${depth} ${field}:${cursor.nodeType}${cursor.nodeIsNamed ? '' : ' anon'}${cursor.nodeIsMissing ? ' missing' : ''} ` +
        `${cursor.startIndex}-${cursor.endIndex} ${start.row}:${start.column}-${end.row}:${end.column}`,
    );
    if (cursor.gotoFirstChild()) {
      depth++;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete?.();
        return lines;
      }
      depth--;
    }
  }
}

/** What the analysis asks of nodes besides their shape: errors, named children by field, text. */
function nodeApiOf(root: TreeSitterNode): string[] {
  const lines: string[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!; // non-empty: checked by the loop condition
    const fields = ['declarator', 'body', 'condition', 'operator', 'left', 'right', 'arguments', 'function', 'value', 'alternative'];
    const byField = fields.map((name) => node.childForFieldName(name)?.startIndex ?? '-').join(',');
    lines.push(`${node.type} ${node.hasError} ${node.isError} ${node.namedChildCount} ${byField} ${JSON.stringify(node.text.slice(0, 40))}`);
    stack.push(...node.namedChildren);
  }
  return lines;
}

/** libpcap's ring consumer (7 000 lines), when the corpus has been fetched; all 200 files take 12 s. */
function libpcapConsumer(): string | undefined {
  const tree = existsSync(LIBPCAP) ? readdirSync(LIBPCAP).find((name) => name.startsWith('libpcap-')) : undefined;
  return tree && existsSync(join(LIBPCAP, tree, 'pcap-linux.c')) ? join(LIBPCAP, tree, 'pcap-linux.c') : undefined;
}

const chunk = 65536;
const SAMPLES: Record<string, string> = {
  'non-ASCII identifiers, strings and comments': 'int é = 1; /* ü ß */ char *s = "日本語"; // ñ\nint naïve(int x) { return x != TP_STATUS_KERNEL; } /* é */\n',
  'astral characters (surrogate pairs)': 'char *e = "😀😀"; /* 𝔘 */ int f(struct tpacket2_hdr *h) { return h->tp_status /* 🙂 */ == 0; }\n',
  'CRLF line ends': '#define READY(h) \\\r\n\t((h)->tp_status & TP_STATUS_USER)\r\nint f(void)\r\n{\r\n\treturn READY(g) != 0; // é\r\n}\r\n',
  'lone CR line ends': 'int a;\rint b = 1;\r/* é */ int c;\r',
  'a byte order mark': '\uFEFFint a = 1;\n',
  'error recovery': 'int f( { if (h->tp_status != ) return; #define X(\n}}} é ) ;\n',
  // The parsers read the text 64 KiB at a time: the emoji's two code units fall in two reads.
  'a character cut by the chunk boundary': `int a; /*${' '.repeat(chunk - 10)}😀 */ int b;\n`,
  empty: '',
};

describe('the WebAssembly runtime against the native one', () => {
  let native: GrammarParser;
  let wasm: GrammarParser;

  beforeAll(async () => {
    native = await loadGrammarParser('c', 'native');
    wasm = await loadGrammarParser('c', 'wasm');
  });

  it('loads each runtime as asked', () => {
    expect([native.runtime, wasm.runtime]).toEqual(['native', 'wasm']);
  });

  /** Compared as one string first: a deep comparison of large arrays is slow, and only its diff is needed. */
  function expectSame(wasmLines: string[], nativeLines: string[], where: string): void {
    if (wasmLines.join('\n') !== nativeLines.join('\n')) expect(wasmLines, where).toEqual(nativeLines);
  }

  function expectSameTrees(text: string, where: string, { nodeApi = true } = {}): void {
    const nativeRoot = native.parse(text).rootNode;
    const wasmRoot = wasm.parse(text).rootNode;
    expectSame(nodesOf(wasmRoot), nodesOf(nativeRoot), where);
    if (nodeApi) expectSame(nodeApiOf(wasmRoot), nodeApiOf(nativeRoot), where);
  }

  it('gives the same tree for every fixture file and every C block of the fixture documents', () => {
    const files = cFiles(join(REPO, 'fixtures'));
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) expectSameTrees(readFileSync(file, 'utf8'), file);
    for (const [document, kind] of [['consumer-guide.md', 'markdown'], ['packet_mmap.rst', 'rst']] as const) {
      const blocks = findCBlocks(readFileSync(join(REPO, 'fixtures', 'docs', document), 'utf8'), kind).map((block) => block.unitText());
      expect(blocks.length).toBeGreaterThan(0);
      blocks.forEach((block, index) => expectSameTrees(block, `${document} block ${index}`));
    }
  });

  it('gives the same tree, positions included, for non-ASCII text and every kind of line end', () => {
    expect(SAMPLES['a character cut by the chunk boundary']!.charCodeAt(chunk - 1)).toBe('😀'.charCodeAt(0));
    for (const [name, text] of Object.entries(SAMPLES)) expectSameTrees(text, name);
  });

  it('counts columns in UTF-16 code units in both runtimes, as JavaScript strings index', () => {
    const text = 'int é = 1; /* 😀 */ int x;\n';
    for (const parser of [native, wasm]) {
      const comment = parser.parse(text).rootNode.descendantsOfType('comment')[0]!;
      expect([comment.startPosition.column, comment.startIndex, comment.endPosition.column]).toEqual([11, 11, 19]);
      expect(comment.text).toBe('/* 😀 */');
    }
  });

  it.runIf(libpcapConsumer() !== undefined)("gives the same tree for libpcap's pcap-linux.c", () => {
    expectSameTrees(readFileSync(libpcapConsumer()!, 'utf8'), 'pcap-linux.c'); // defined: checked by runIf
  });
});
