/**
 * Fenced code blocks in Markdown containers: found where CommonMark finds them, and each content
 * line's start told apart from the container prefix before it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fencedCodeBlocks, type CodeBlock } from '../../src/docs/markdown-fences.js';

/** Each block as its info, and each content line as `line: text from its content start`. */
function found(document: string): Array<{ info: string; lines: string[] }> {
  const lines = document.split('\n');
  return fencedCodeBlocks(lines).map((block: CodeBlock) => ({
    info: block.info,
    lines: block.contentStarts!.map((start, index) => `${block.firstLine + index}: ${lines[block.firstLine + index]!.slice(start)}`),
  }));
}

const lines = (...text: string[]): string => text.join('\n');

describe('fencedCodeBlocks', () => {
  it('finds a fence at the top level, with its info string', () => {
    expect(found(lines('Text', '', '```c title', 'int a;', '', '  int b;', '```'))).toEqual([{ info: 'c title', lines: ['3: int a;', '4: ', '5:   int b;'] }]);
  });

  it('finds fences in block quotes, with or without the space after >, and leaves the > out', () => {
    expect(found(lines('> Quote', '>', '> ```c', '> if (x)', '>     return;', '>', '> ```', 'after', '>```', '>int a;'))).toEqual([
      { info: 'c', lines: ['3: if (x)', '4:     return;', '5: '] },
      { info: '', lines: ['9: int a;'] },
    ]);
  });

  it('finds fences in list items, from the column of the item content', () => {
    const document = lines('- Step one:', '', '  ```c', '  int a;', '    int b;', '  ```', '1. ```c', '   int c;', '   ```', '10. Wide', '', '    ```c', '    int d;', '    ```');
    expect(found(document)).toEqual([
      { info: 'c', lines: ['3: int a;', '4:   int b;'] },
      { info: 'c', lines: ['7: int c;'] },
      { info: 'c', lines: ['12: int d;'] },
    ]);
  });

  it('finds fences in nested containers', () => {
    expect(found(lines('> - item', '>', '>   ```c', '>   int a;', '>   ```', '- item', '', '  > ```c', '  > int b;', '  > ```'))).toEqual([
      { info: 'c', lines: ['3: int a;'] },
      { info: 'c', lines: ['8: int b;'] },
    ]);
  });

  it('ends a fence where its container ends', () => {
    expect(found(lines('> ```c', '> int a;', 'int b;', '```'))).toEqual([
      { info: 'c', lines: ['1: int a;'] },
      { info: '', lines: [] },
    ]);
    expect(found(lines('- ```c', '  int a;', 'int b;'))).toEqual([{ info: 'c', lines: ['1: int a;'] }]);
  });

  it('takes no indented code or under-indented lines for fences', () => {
    expect(found(lines('Para', '', '    ```c', '    int a;', '    ```'))).toEqual([]);
    // One space is not the item's content column: the fence is a sibling of the list.
    expect(found(lines('- item', '', ' ```c', ' int a;', ' ```'))).toEqual([{ info: 'c', lines: ['3: int a;'] }]);
  });

  it('keeps block quotes open across lazy continuation lines', () => {
    expect(found(lines('> para', 'lazy', '> ```c', '> int a;', '> ```'))).toEqual([{ info: 'c', lines: ['3: int a;'] }]);
  });

  it('counts tabs to CommonMark tab stops', () => {
    expect(found(lines('-\t```c', '\tint a;', '\t```', '>\t```c', '>\t\tint b;'))).toEqual([
      { info: 'c', lines: ['1: int a;'] },
      { info: 'c', lines: ['4: \tint b;'] },
    ]);
  });

  it('closes a fence only with one of its own character, at least as long', () => {
    expect(found(lines('````c', 'int a;', '```', '~~~~', '````', '```c `x`', 'int b;'))).toEqual([{ info: 'c', lines: ['1: int a;', '2: ```', '3: ~~~~'] }]);
  });

  // A model of the containers: a block written in a known container must come back as its code
  // lines at their own lines, whatever surrounds it. (After a bare `>`, CommonMark takes one space or
  // tab column as part of the marker; the test above covers it.)
  it('gives each line of a block written in any container its code, and the lines it is on', () => {
    const containers = fc.constantFrom(
      { first: '', rest: '' },
      { first: '> ', rest: '> ' },
      { first: '- ', rest: '  ' },
      { first: '1. ', rest: '   ' },
      { first: '10) ', rest: '    ' },
      { first: '> - ', rest: '>   ' },
      { first: '- > ', rest: '  > ' },
      { first: '  - ', rest: '    ' },
    );
    const code = fc.array(fc.constantFrom('int a;', 'if (h->tp_status != TP_STATUS_KERNEL)', '\treturn 0;', '  x = 1;', '}'), { minLength: 1, maxLength: 5 });
    const block = fc.record({ container: containers, fence: fc.constantFrom('```', '~~~', '````'), info: fc.constantFrom('c', '', 'C title'), code });
    const prose = fc.constantFrom('Some text.', '# Heading', '');
    fc.assert(
      fc.property(fc.array(fc.tuple(prose, block), { minLength: 1, maxLength: 5 }), (parts) => {
        const documentLines: string[] = [];
        const expected: Array<{ info: string; lines: string[] }> = [];
        for (const [text, { container, fence, info, code: body }] of parts) {
          // Blank lines on both sides end whatever container came before.
          documentLines.push('', text, '', `${container.first}${fence}${info}`);
          expected.push({ info, lines: body.map((line, index) => `${documentLines.length + index}: ${line}`) });
          documentLines.push(...body.map((line) => `${container.rest}${line}`), `${container.rest}${fence}`, '');
        }
        expect(found(documentLines.join('\n'))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
