/**
 * The first pass finds what it indexes by node type instead of with tree-sitter queries (faster to
 * run, nothing to compile). The queries it replaced are the oracle: on every fixture and on texts
 * full of error recovery, both must find the same nodes, in the same order for each kind of node
 * (the index keeps each kind in a list of its own).
 */
/// <reference types="@ringlint/tree-sitter" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type TreeSitter from 'tree-sitter';
import C from 'tree-sitter-c';
import { describe, expect, it } from 'vitest';
import { indexedNodes, parseC, type NativeNode } from '../../src/c/parser.js';
import { cFiles } from './fixture-c-files.js';

// The queries need tree-sitter's native runtime, and so the native parser (the default where it loads).
const { Query } = createRequire(import.meta.url)('@ringlint/tree-sitter') as typeof TreeSitter;
const ORACLE = new Query(
  C as TreeSitter.Language,
  `(preproc_function_def) @macro
   (preproc_def) @macro
   (function_definition) @function
   (call_expression function: (identifier) @callee)
   (binary_expression operator: "&") @mask`,
);

const KINDS = [
  { definitions: true, calls: true, masks: true },
  { definitions: true, calls: false, masks: false },
  { definitions: false, calls: true, masks: false },
];

function expectSameAsOracle(root: NativeNode, where: string): void {
  const byName = (found: Array<{ name: string; node: NativeNode }>): Record<string, string[]> => {
    const lists: Record<string, string[]> = {};
    for (const { name, node } of found) (lists[name] ??= []).push(`${node.type} ${node.startIndex}-${node.endIndex}`);
    return lists;
  };
  for (const kind of KINDS) {
    const wanted = new Set([...(kind.definitions ? ['macro', 'function'] : []), ...(kind.calls ? ['callee'] : []), ...(kind.masks ? ['mask'] : [])]);
    // One native tree, typed twice: tree-sitter's typings leave out `Tree.language`, which ringlint's node type reads.
    const oracle = ORACLE.captures(root as unknown as TreeSitter.SyntaxNode).filter(({ name }) => wanted.has(name)) as unknown as Array<{ name: string; node: NativeNode }>;
    const nodes = indexedNodes(root, kind);
    const found = (['macro', 'function', 'callee', 'mask'] as const).flatMap((name) => nodes[name].map((node) => ({ name, node })));
    expect(byName(found), `${where} ${JSON.stringify(kind)}`).toEqual(byName(oracle));
  }
}

const SAMPLES: Array<[name: string, text: string]> = [
  ['nested calls and masks', 'int f(int *s) { return g(h(*s & 1) & 2, (*s & 4) & (k(s) & 8)); }\n'],
  ['a chain of masks', 'int f(int s) { return s & 1 & 2 & (s & 4 == 4) & 8; }\n'],
  ['a macro defined inside a function', 'int f(int s) {\n#define READY(x) ((x) & TP_STATUS_USER)\n  return READY(s);\n}\n'],
  ['calls not by name', 'int f(struct ops *o, int (*cb)(int)) { return o->poll(1) + cb(2) + (*cb)(3) + fns[0](4); }\n'],
  ['other operators', 'int f(int a, int b) { return (a && b) | (a &= b) | (a ^ b) | &a == 0; }\n'],
  ['syntax errors', 'int f( { while (h->tp_status & ) x = g(; }\n#define M(\nvoid h(void) { k(1) & ; }\n'],
  ['a missing identifier', 'int f(void) { return (1 & ); }\nint g(void) { return h(; }\n'],
  ['preprocessor conditionals', '#ifdef X\nint f(void) { return g(1) & 2; }\n#else\n#define F 1\n#endif\n#if 0\nvoid d(void) { e(); }\n#endif\n'],
];

describe('the first pass finds what the replaced tree-sitter queries captured', () => {
  it.each(cFiles('fixtures'))('in %s', (path) => {
    expectSameAsOracle(parseC(readFileSync(path, 'utf8')).rootNode, path);
  });

  it.each(SAMPLES)('in %s', (name, text) => {
    expectSameAsOracle(parseC(text).rootNode, name);
  });
});
