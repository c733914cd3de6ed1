/**
 * The evaluator reads function bodies from plain copies of tree-sitter's trees: every node of a
 * copy must say what the tree-sitter node it copies says, or findings would move or vanish.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseC, type NativeNode, type SyntaxNode } from '../../src/c/parser.js';
import { plainCopy } from '../../src/c/plain-tree.js';
import { cFiles } from './fixture-c-files.js';

const FIELDS = [
  'alternative', 'argument', 'arguments', 'body', 'condition', 'consequence', 'declarator', 'field',
  'function', 'left', 'name', 'operator', 'parameters', 'right', 'type', 'update', 'value', 'initializer',
];

function expectSameNode(copy: SyntaxNode, original: NativeNode, path: string): void {
  const where = `${path} at ${original.startIndex}`;
  expect({ type: copy.type, text: copy.text, start: copy.startPosition, end: copy.endPosition }, where).toEqual({
    type: original.type, text: original.text, start: original.startPosition, end: original.endPosition,
  });
  expect([copy.startIndex, copy.endIndex], where).toEqual([original.startIndex, original.endIndex]);
  for (const field of FIELDS) {
    const copied = copy.childForFieldName(field);
    const native = original.childForFieldName(field);
    expect(copied && [copied.type, copied.startIndex], `${where}, field ${field}`).toEqual(native && [native.type, native.startIndex]);
    expect(copy.childrenForFieldName(field).map((node) => node.startIndex), `${where}, fields ${field}`).toEqual(
      original.childrenForFieldName(field).map((node) => node.startIndex),
    );
  }
  expect(copy.namedChildCount, where).toBe(original.namedChildCount);
  copy.namedChildren.forEach((child, index) => {
    expect(child.parent?.id, where).toBe(copy.id);
    expectSameNode(child, original.namedChild(index)!, path); // counts compared above
  });
}

const SAMPLES: Array<[name: string, text: string]> = [
  ['non-ASCII text before code (columns in UTF-16 units)', '/* é 😀 */ int f(struct tpacket_hdr *h) {\n  /* ü */ return h->tp_status != TP_STATUS_KERNEL;\n}\n'],
  ['CRLF line ends', 'int f(int *s)\r\n{\r\n\tif (*s & 1)\r\n\t\treturn 1;\r\n\treturn 0;\r\n}\r\n'],
  ['syntax errors', 'int f( { while (h->tp_status & ) x = ; }\n#if 0\nint g(void) { return 1; }\n#endif\n'],
  ['deep nesting', `int f(int s) { return ${'('.repeat(300)}s${')'.repeat(300)}; }\n`],
];

describe('plain copies of syntax trees', () => {
  it.each(cFiles('fixtures'))('copy the tree of %s node for node', (path) => {
    const text = readFileSync(path, 'utf8');
    const root = parseC(text).rootNode;
    expectSameNode(plainCopy(root, text), root, path);
  });

  it.each(SAMPLES)('copy %s node for node', (name, text) => {
    const root = parseC(text).rootNode;
    expectSameNode(plainCopy(root, text), root, name);
  });

  it('copy a subtree, whose positions are those in the whole text', () => {
    const text = 'int a;\nint f(int s) { return s == 0; }\n';
    const definition = parseC(text).rootNode.namedChild(1)!;
    const copy = plainCopy(definition, text);
    expectSameNode(copy, definition, 'f');
    expect(copy.descendantsOfType('binary_expression').map((node) => node.text)).toEqual(['s == 0']);
  });
});
