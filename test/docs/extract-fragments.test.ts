import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseC } from '../../src/c/parser.js';
import {
  extractCFragments,
  findCBlocks,
  FRAGMENT_WRAPPER_CLOSE,
  FRAGMENT_WRAPPER_OPEN,
  type DocumentKind,
} from '../../src/docs/extract-fragments.js';

const lines = (...text: string[]): string => text.join('\n');

/** The 1-based document lines a fragment keeps, without wrapper lines. */
function keptLines(fragment: string): Map<number, string> {
  const kept = new Map<number, string>();
  fragment.split('\n').forEach((line, index) => {
    if (line !== '' && line !== FRAGMENT_WRAPPER_OPEN && line !== FRAGMENT_WRAPPER_CLOSE) kept.set(index + 1, line);
  });
  return kept;
}

function isWrapped(fragment: string): boolean {
  return fragment.split('\n').includes(FRAGMENT_WRAPPER_OPEN);
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

  it('keeps line numbers and columns: line N of a fragment is line N of the document', () => {
    const doc = lines('Intro', '', '  ```C', '  int indented_in_a_list;', '      int deeper;', '  ```', 'after');
    const [fragment] = extractCFragments(doc, 'markdown');
    expect(fragment?.split('\n')).toEqual(['', '', '', '  int indented_in_a_list;', '      int deeper;', '', '']);
    const declarator = parseC(fragment ?? '').rootNode.descendantsOfType('identifier')[0];
    expect(declarator?.text).toBe('indented_in_a_list');
    expect(declarator?.startPosition).toEqual({ row: 3, column: 6 });
  });

  it('only closes a fence with the same character, at least as long', () => {
    const doc = lines('````c', 'int a;', '```', '~~~~', 'int b;', '````', 'prose');
    const [fragment] = extractCFragments(doc, 'markdown');
    expect([...keptLines(fragment ?? '')]).toEqual([
      [2, 'int a;'],
      [3, '```'],
      [4, '~~~~'],
      [5, 'int b;'],
    ]);
  });

  it('runs an unclosed fence to the end of the document', () => {
    const [fragment] = extractCFragments(lines('```c', 'int a;', 'int b;'), 'markdown');
    expect(fragment).toBe(lines('', 'int a;', 'int b;'));
  });

  it('skips blocks with no code', () => {
    expect(extractCFragments(lines('```c', '', '   ', '```'), 'markdown')).toEqual([]);
  });

  it('handles CRLF documents without shifting lines', () => {
    const [fragment] = extractCFragments('text\r\n```c\r\nint a;\r\n```\r\n', 'markdown');
    expect(fragment).toBe(lines('', '', 'int a;', '', ''));
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
    expect([...keptLines(fragment ?? '').keys()]).toEqual([4, 6, 7, 8, 10, 11]);
  });

  it('wraps statement fragments in a function without moving them', () => {
    const [fragment = ''] = extractCFragments(packetMmap, 'rst');
    const fragmentLines = fragment.split('\n');
    expect(fragmentLines[2]).toBe(FRAGMENT_WRAPPER_OPEN);
    expect(fragmentLines[11]).toBe(FRAGMENT_WRAPPER_CLOSE);
    const tree = parseC(fragment);
    expect(tree.rootNode.hasError).toBe(false);
    const [wrapper] = tree.rootNode.namedChildren;
    expect(wrapper?.type).toBe('function_definition');
    const comparison = tree.rootNode.descendantsOfType('binary_expression').find((node) => node.text.includes('TP_STATUS_KERNEL'));
    expect(comparison?.startPosition).toEqual({ row: 9, column: 8 });
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
    expect([...keptLines(fragment ?? '').keys()]).toEqual([3, 4]);
  });

  it('closes the wrapper on the last line when the block ends the document', () => {
    const [fragment = ''] = extractCFragments(lines('Loop::', '', '    if (!h->tp_status) continue;'), 'rst');
    expect(fragment).toBe(lines('', FRAGMENT_WRAPPER_OPEN, `    if (!h->tp_status) continue; ${FRAGMENT_WRAPPER_CLOSE}`));
    expect(parseC(fragment).rootNode.hasError).toBe(false);
  });

  it('leaves whole translation units unwrapped', () => {
    const doc = lines('Helper::', '', '    static int ready(struct tpacket2_hdr *h)', '    {', '        return h->tp_status & TP_STATUS_USER;', '    }');
    const [fragment = ''] = extractCFragments(doc, 'rst');
    expect(isWrapped(fragment)).toBe(false);
  });

  it('keeps the unwrapped unit when wrapping does not reduce the parse errors', () => {
    const [fragment = ''] = extractCFragments(lines('Broken::', '', '    int g(void) { return 1 +; }'), 'rst');
    expect(parseC(fragment).rootNode.hasError).toBe(true);
    expect(isWrapped(fragment)).toBe(false);
  });
});

describe('findCBlocks', () => {
  it('gives each block\'s own lines at once and its unit, as extractCFragments does, on demand', () => {
    const doc = lines('Status::', '', '    if (s == TP_STATUS_KERNEL)', '        return;', '', 'Text.', '', '.. code-block:: c', '', '   int x;', '');
    const blocks = findCBlocks(doc, 'rst');
    expect(blocks.map((block) => block.source)).toEqual(['    if (s == TP_STATUS_KERNEL)\n        return;', '   int x;']);
    expect(blocks.map((block) => block.unitText())).toEqual(extractCFragments(doc, 'rst'));
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
      .record({ fence: fc.constantFrom('```', '~~~', '````'), info: fc.constantFrom('', 'c', 'C', 'h', 'sh', 'c bad', 'json'), code, closed: fc.boolean() })
      .map(({ fence, info, code: body, closed }) => [`${fence}${info}`, ...body, ...(closed ? [fence] : [])]),
  );
  const rstPart = fc.oneof(
    prose.map((line) => [line]),
    fc.constant(['']),
    fc
      .record({ intro: fc.constantFrom('::', 'Example::', 'Example ::', '.. code-block:: c', '.. code:: c', '.. code-block:: sh'), indent, code })
      .map(({ intro, indent: blockIndent, code: body }) => [intro, '', ...body.map((line) => (line === '' ? '' : `${blockIndent || ' '}${line}`))]),
  );

  function checkInvariants(document: string, kind: DocumentKind): void {
    const documentLines = document.split('\n');
    for (const fragment of extractCFragments(document, kind)) {
      const fragmentLines = fragment.split('\n');
      expect(fragmentLines).toHaveLength(documentLines.length);
      fragmentLines.forEach((line, index) => {
        const original = documentLines[index] ?? '';
        const isWrapperLine =
          line === FRAGMENT_WRAPPER_OPEN || line === FRAGMENT_WRAPPER_CLOSE || line === `${original} ${FRAGMENT_WRAPPER_CLOSE}`;
        if (line !== '') expect(line === original || isWrapperLine, `line ${index + 1}: ${JSON.stringify(line)}`).toBe(true);
      });
      expect(fragmentLines.filter((line) => line === FRAGMENT_WRAPPER_OPEN).length).toBeLessThanOrEqual(1);
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
