import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseC } from '../../src/c/parser.js';
import { findCBlocks, FRAGMENT_WRAPPER_CLOSE, FRAGMENT_WRAPPER_OPEN, type CBlock } from '../../src/docs/extract-fragments.js';
import type { DocumentKind } from '../../src/files/source-kind.js';

const lines = (...text: string[]): string => text.join('\n');

/** A block's unit, with the document line of each of its lines. */
interface Fragment {
  rowBase: number;
  text: string;
}

function extractCFragments(document: string, kind: DocumentKind): Fragment[] {
  return findCBlocks(document, kind).map((block: CBlock) => ({ rowBase: block.rowBase, text: block.unitText() }));
}

/** The 1-based document lines a fragment keeps, without wrapper lines. */
function keptLines(fragment: Fragment | undefined): Map<number, string> {
  const kept = new Map<number, string>();
  fragment?.text.split('\n').forEach((line, index) => {
    if (line.trim() !== '' && line !== FRAGMENT_WRAPPER_OPEN && line !== FRAGMENT_WRAPPER_CLOSE) kept.set(fragment.rowBase + index + 1, line);
  });
  return kept;
}

function isWrapped(fragment: Fragment | undefined): boolean {
  return fragment?.text.split('\n')[0] === FRAGMENT_WRAPPER_OPEN;
}

describe('extractCFragments — Markdown', () => {
  it('takes backtick and tilde fences with an empty or C info string, and skips other languages', () => {
    const doc = lines(
      '# Reading the ring', // 1
      '', // 2
      '```c', // 3
      'int ready(struct tpacket2_hdr *h) { return h->tp_status & TP_STATUS_USER; }', // 4
      '```', // 5
      '', // 6
      '~~~', // 7
      'int untyped;', // 8
      '~~~', // 9
      '', // 10
      '```sh', // 11
      'tcpdump -i eth0', // 12
      '```', // 13
      '~~~~ python', // 14
      'print(1)', // 15
      '~~~~', // 16
      '```{.h}', // 17
      'int header_decl;', // 18
      '```', // 19
    );
    const fragments = extractCFragments(doc, 'markdown');
    expect(fragments.map((fragment) => [...keptLines(fragment)])).toEqual([
      [[4, 'int ready(struct tpacket2_hdr *h) { return h->tp_status & TP_STATUS_USER; }']],
      [[8, 'int untyped;']],
      [[18, 'int header_decl;']],
    ]);
  });

  it('keeps lines and columns: row R of a unit is document line rowBase + R + 1, at the same column', () => {
    const doc = lines('Intro', '', '  ```C', '  int indented_in_a_list;', '      int deeper;', '  ```', 'after');
    const [fragment] = extractCFragments(doc, 'markdown');
    expect(fragment).toEqual({ rowBase: 2, text: lines('', '  int indented_in_a_list;', '      int deeper;') });
    const declarator = parseC(fragment!.text).rootNode.descendantsOfType('identifier')[0];
    expect(declarator?.text).toBe('indented_in_a_list');
    expect(declarator?.startPosition).toEqual({ row: 1, column: 6 });
  });

  it('finds blocks in block quotes and list items, their prefixes blanked at their own columns', () => {
    const doc = lines(
      '> Quoted from the old guide:', // 1
      '>', // 2
      '> ```c', // 3
      '> if (h->tp_status != TP_STATUS_KERNEL)', // 4
      '>\tconsume(h);', // 5
      '> ```', // 6
      '', // 7
      '1. Map the ring.', // 8
      '2. Wait for a frame:', // 9
      '', // 10
      '   ```c', // 11
      '   while (!h->tp_status)', // 12
      '   \tpoll(&pfd, 1, -1);', // 13
      '   ```', // 14
      '- > ```c', // 15
      '  > int nested;', // 16
    );
    const fragments = extractCFragments(doc, 'markdown');
    expect(fragments.map((fragment) => [...keptLines(fragment)])).toEqual([
      [
        [4, '  if (h->tp_status != TP_STATUS_KERNEL)'],
        [5, '  consume(h);'], // the tab after `>` is partly the marker's: whitespace either way
      ],
      [
        [12, '   while (!h->tp_status)'],
        [13, '   \tpoll(&pfd, 1, -1);'],
      ],
      [[16, '    int nested;']],
    ]);
    // What the C parser sees has no block-quote marker in it, and each name sits at its document column.
    const documentLines = doc.split('\n');
    for (const fragment of fragments) {
      const unitLines = fragment.text.split('\n');
      expect(fragment.text).not.toMatch(/^\s*>/m);
      for (const node of parseC(fragment.text).rootNode.descendantsOfType('identifier')) {
        const { row, column } = node.startPosition;
        if (unitLines[row] === FRAGMENT_WRAPPER_OPEN) continue;
        expect(documentLines[fragment.rowBase + row]!.slice(column, column + node.text.length)).toBe(node.text);
      }
    }
  });

  it('takes a fence indented as code for code, not for a fence', () => {
    expect(extractCFragments(lines('Text', '', '    ```c', '    int a;', '    ```'), 'markdown')).toEqual([]);
  });

  it('only closes a fence with the same character, at least as long', () => {
    const doc = lines('````c', 'int a;', '```', '~~~~', 'int b;', '````', 'prose');
    const [fragment] = extractCFragments(doc, 'markdown');
    expect([...keptLines(fragment)]).toEqual([
      [2, 'int a;'],
      [3, '```'],
      [4, '~~~~'],
      [5, 'int b;'],
    ]);
  });

  it('runs an unclosed fence to the end of the document', () => {
    const [fragment] = extractCFragments(lines('```c', 'int a;', 'int b;'), 'markdown');
    expect(fragment).toEqual({ rowBase: 0, text: lines('', 'int a;', 'int b;') });
  });

  it('skips blocks with no code', () => {
    expect(extractCFragments(lines('```c', '', '   ', '```'), 'markdown')).toEqual([]);
  });

  it('handles CRLF documents without shifting lines', () => {
    const [fragment] = extractCFragments('text\r\n```c\r\nint a;\r\n```\r\n', 'markdown');
    expect(fragment).toEqual({ rowBase: 1, text: lines('', 'int a;') });
  });
});

describe('extractCFragments — reStructuredText', () => {
  // The kernel's own example, as Documentation/networking/packet_mmap.rst writes it.
  const packetMmap = lines(
    'The user can use poll (any other variant should apply too) to check if new', // 1
    'packets are in the ring::', // 2
    '', // 3
    '    struct pollfd pfd;', // 4
    '', // 5
    '    pfd.fd = fd;', // 6
    '    pfd.revents = 0;', // 7
    '    pfd.events = POLLIN|POLLRDNORM|POLLERR;', // 8
    '', // 9
    '    if (status == TP_STATUS_KERNEL)', // 10
    '\tretval = poll(&pfd, 1, timeout);', // 11
    '', // 12
    "It doesn't incur in a race condition to first check the status value and", // 13
    'then poll for frames.', // 14
  );

  it('takes the indented block after a paragraph ending in `::`, up to the next paragraph', () => {
    const [fragment] = extractCFragments(packetMmap, 'rst');
    expect([...keptLines(fragment).keys()]).toEqual([4, 6, 7, 8, 10, 11]);
  });

  it('wraps statement fragments in a function without moving them', () => {
    const [fragment] = extractCFragments(packetMmap, 'rst');
    const fragmentLines = fragment!.text.split('\n');
    // The opening on the blank line before the block (document line 3), the closing after it (line 12).
    expect(fragment!.rowBase).toBe(2);
    expect(fragmentLines[0]).toBe(FRAGMENT_WRAPPER_OPEN);
    expect(fragmentLines[9]).toBe(FRAGMENT_WRAPPER_CLOSE);
    const tree = parseC(fragment!.text);
    expect(tree.rootNode.hasError).toBe(false);
    const [wrapper] = tree.rootNode.namedChildren;
    expect(wrapper?.type).toBe('function_definition');
    const comparison = tree.rootNode.descendantsOfType('binary_expression').find((node) => node.text.includes('TP_STATUS_KERNEL'));
    expect(fragment!.rowBase + comparison!.startPosition.row + 1).toBe(10);
    expect(comparison?.startPosition.column).toBe(8);
  });

  it('accepts the lone `::` and `Text ::` forms', () => {
    const doc = lines('Example', '', '::', '', '  int lone;', '', 'Another ::', '', '  int spaced;', 'end');
    expect(extractCFragments(doc, 'rst').map((fragment) => [...keptLines(fragment)])).toEqual([
      [[5, '  int lone;']],
      [[9, '  int spaced;']],
    ]);
  });

  it('takes code-block and code directives for C, with options, and skips other languages', () => {
    const doc = lines(
      '.. code-block:: c', // 1
      '   :linenos:', // 2
      '', // 3
      '   int from_code_block;', // 4
      '', // 5
      '.. code:: sh', // 6
      '', // 7
      '   ip link add veth0 type veth', // 8
      '', // 9
      '.. sourcecode:: C', // 10
      '', // 11
      '   int from_sourcecode;', // 12
      'Text.', // 13
    );
    expect(extractCFragments(doc, 'rst').map((fragment) => [...keptLines(fragment)])).toEqual([
      [[4, '   int from_code_block;']],
      [[12, '   int from_sourcecode;']],
    ]);
  });

  it('does not take directives ending in `::` (note, warning) as literal blocks', () => {
    const doc = lines('.. note::', '', '   Read the status with acquire ordering.', '', 'Text');
    expect(extractCFragments(doc, 'rst')).toEqual([]);
  });

  it('follows `.. highlight::` for the literal blocks after it', () => {
    const doc = lines('.. highlight:: console', '', 'Run::', '', '   $ make', '', '.. highlight:: c', '', 'Code::', '', '   int x;');
    expect(extractCFragments(doc, 'rst').map((fragment) => [...keptLines(fragment)])).toEqual([[[11, '   int x;']]]);
  });

  it('indents literal blocks in list items relative to the item text', () => {
    const doc = lines('- Read the slot::', '', '    if (h->tp_status & TP_STATUS_USER)', '        consume(h);', '  More item text.', '- Next item');
    const [fragment] = extractCFragments(doc, 'rst');
    expect([...keptLines(fragment).keys()]).toEqual([3, 4]);
  });

  it('closes the wrapper after the block when the block ends the document', () => {
    const [fragment] = extractCFragments(lines('Loop::', '', '    if (!h->tp_status) continue;'), 'rst');
    expect(fragment).toEqual({ rowBase: 1, text: lines(FRAGMENT_WRAPPER_OPEN, '    if (!h->tp_status) continue;', FRAGMENT_WRAPPER_CLOSE) });
    expect(parseC(fragment!.text).rootNode.hasError).toBe(false);
  });

  it('leaves whole translation units unwrapped', () => {
    const doc = lines('Helper::', '', '    static int ready(struct tpacket2_hdr *h)', '    {', '        return h->tp_status & TP_STATUS_USER;', '    }');
    const [fragment] = extractCFragments(doc, 'rst');
    expect(isWrapped(fragment)).toBe(false);
  });

  it('keeps the unwrapped unit when wrapping does not reduce the parse errors', () => {
    const [fragment] = extractCFragments(lines('Broken::', '', '    int g(void) { return 1 +; }'), 'rst');
    expect(parseC(fragment!.text).rootNode.hasError).toBe(true);
    expect(isWrapped(fragment)).toBe(false);
  });
});

describe('findCBlocks', () => {
  it('gives each block\'s own lines at once and its unit on demand', () => {
    const doc = lines('Status::', '', '    if (s == TP_STATUS_KERNEL)', '        return;', '', 'Text.', '', '.. code-block:: c', '', '   int x;', '');
    const blocks = findCBlocks(doc, 'rst');
    expect(blocks.map((block) => block.source)).toEqual(['    if (s == TP_STATUS_KERNEL)\n        return;', '   int x;']);
    expect(blocks.map((block) => ({ rowBase: block.rowBase, text: block.unitText() }))).toEqual(extractCFragments(doc, 'rst'));
  });
});

describe('extractCFragments — properties', () => {
  const word = fc.constantFrom('ring', 'frame', 'status', 'kernel', 'the', 'slot', 'poll', 'user');
  const prose = fc.array(word, { minLength: 1, maxLength: 6 }).map((words) => words.join(' '));
  const codeLine = fc.constantFrom(
    'if (h->tp_status == TP_STATUS_KERNEL)',
    '\tretval = poll(&pfd, 1, timeout);',
    'struct pollfd pfd;',
    'while (!(h->tp_status & TP_STATUS_USER)) {',
    '}',
    'int ready(struct tpacket2_hdr *h) { return h->tp_status; }',
    'h->tp_status = TP_STATUS_KERNEL;',
    'switch (s) { case TP_STATUS_KERNEL: break; }',
    '  if (x',
    '',
  );
  const code = fc.array(codeLine, { minLength: 1, maxLength: 6 });
  const indent = fc.constantFrom('', '  ', '    ', '\t');

  const markdownPart = fc.oneof(
    prose.map((line) => [line]),
    fc.constant(['']),
    fc
      .record({
        container: fc.constantFrom('', '> ', '>', '- ', '1. '),
        fence: fc.constantFrom('```', '~~~', '````'),
        info: fc.constantFrom('', 'c', 'C', 'h', 'sh', 'c bad', 'json'),
        code,
        closed: fc.boolean(),
      })
      .map(({ container, fence, info, code: body, closed }) => {
        const rest = container.startsWith('>') ? container : ' '.repeat(container.length);
        return [`${container}${fence}${info}`, ...body.map((line) => `${rest}${line}`), ...(closed ? [`${rest}${fence}`] : [])];
      }),
  );
  const rstPart = fc.oneof(
    prose.map((line) => [line]),
    fc.constant(['']),
    fc
      .record({ intro: fc.constantFrom('::', 'Example::', 'Example ::', '.. code-block:: c', '.. code:: c', '.. code-block:: sh'), indent, code })
      .map(({ intro, indent: blockIndent, code: body }) => [intro, '', ...body.map((line) => (line === '' ? '' : `${blockIndent || ' '}${line}`))]),
  );

  /**
   * A unit's first line is empty or the wrapper's opening, its last may be the wrapper's closing,
   * and every other line is its document line, with at most a container prefix (`>`, a list
   * marker, whitespace) blanked: same length, same text from where the code starts.
   */
  function checkInvariants(document: string, kind: DocumentKind): void {
    const documentLines = document.split('\n');
    for (const fragment of extractCFragments(document, kind)) {
      const fragmentLines = fragment.text.split('\n');
      expect(['', FRAGMENT_WRAPPER_OPEN]).toContain(fragmentLines[0]);
      const wrapped = fragmentLines[0] === FRAGMENT_WRAPPER_OPEN;
      if (wrapped) expect(fragmentLines.at(-1)).toBe(FRAGMENT_WRAPPER_CLOSE);
      fragmentLines.slice(1, wrapped ? -1 : undefined).forEach((line, index) => {
        const lineNumber = fragment.rowBase + index + 2;
        const original = documentLines[lineNumber - 1] ?? '';
        const code = line.trimStart();
        expect(line.length, `line ${lineNumber}: ${JSON.stringify(line)}`).toBe(original.length);
        expect(original.endsWith(code), `line ${lineNumber}`).toBe(true);
        expect(original.slice(0, original.length - code.length), `line ${lineNumber}`).toMatch(/^[\s>*+\-0-9.)]*$/);
      });
    }
  }

  it('Markdown fragments have the document’s lines, each kept or a wrapper line', () => {
    fc.assert(
      fc.property(fc.array(markdownPart, { maxLength: 12 }), (parts) => checkInvariants(parts.flat().join('\n'), 'markdown')),
    );
  });

  it('reStructuredText fragments have the document’s lines, each kept or a wrapper line', () => {
    fc.assert(fc.property(fc.array(rstPart, { maxLength: 12 }), (parts) => checkInvariants(parts.flat().join('\n'), 'rst')));
  });
});

// F13: each block's unit was a text as long as the whole document (padding before the block), so
// building and parsing a document's units was quadratic in its blocks (8,000 blocks: 126 s, 2.8 GB).
// Sizes, not time: what each unit holds must not grow with the rest of the document.
describe('a document of many C blocks (F13)', () => {
  it('gives each block a unit of its own lines, placed at its document row', () => {
    const count = 20_000;
    const blockText = (index: number): string => `\`\`\`c\nvoid f${index}(struct tpacket2_hdr *h){ if (h->tp_status == 0) g(); }\n\`\`\`\n`;
    const document = Array.from({ length: count }, (_, index) => blockText(index)).join('\n');
    const blocks = findCBlocks(document, 'markdown');
    expect(blocks).toHaveLength(count);
    blocks.forEach((block, index) => {
      // Block i's fence is document row 4i (0-based), its code row 4i + 1: the unit starts at the fence, blank.
      expect(block.rowBase).toBe(4 * index);
      expect(block.unitText()).toBe(`\nvoid f${index}(struct tpacket2_hdr *h){ if (h->tp_status == 0) g(); }`);
    });
  });
});
