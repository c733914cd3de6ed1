import { createRequire } from 'node:module';
import type TreeSitter from 'tree-sitter';
import C from 'tree-sitter-c';

// Required, not imported: importing a CommonJS module makes Node lex its source for export names,
// and tree-sitter's 27 KB keep V8's optimizing compiler busy for ~100 ms on the side.
const Parser = createRequire(import.meta.url)('tree-sitter') as typeof TreeSitter;

export type NativeNode = TreeSitter.SyntaxNode;
export type Tree = TreeSitter.Tree;
export type Point = TreeSitter.Point;
export type QueryCapture = TreeSitter.QueryCapture;

/**
 * What the analysis reads of a syntax node. tree-sitter's own nodes have it, and so do the plain
 * copies the evaluator reads function bodies from (plain-tree.ts).
 */
export interface SyntaxNode {
  readonly id: number;
  readonly type: string;
  readonly text: string;
  readonly parent: SyntaxNode | null;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly namedChildren: SyntaxNode[];
  readonly namedChildCount: number;
  namedChild(index: number): SyntaxNode | null;
  childForFieldName(name: string): SyntaxNode | null;
  childrenForFieldName(name: string): SyntaxNode[];
  descendantsOfType(types: string | string[]): SyntaxNode[];
}

let shared: TreeSitter | undefined;
let index: TreeSitter.Query | undefined;

/** Captures what the first pass indexes: macros, functions, callees, masks. */
export function indexQuery(): TreeSitter.Query {
  index ??= new Parser.Query(
    C as TreeSitter.Language,
    `(preproc_function_def) @macro
     (preproc_def) @macro
     (function_definition) @function
     (call_expression function: (identifier) @callee)
     (binary_expression operator: "&") @mask`,
  );
  return index;
}

let calls: TreeSitter.Query | undefined;

/** Captures the names called, as `indexQuery` does. */
export function callQuery(): TreeSitter.Query {
  calls ??= new Parser.Query(C as TreeSitter.Language, '(call_expression function: (identifier) @callee)');
  return calls;
}

let definitions: TreeSitter.Query | undefined;

/** Captures the macros and functions of a text, as `indexQuery` does. */
export function definitionQuery(): TreeSitter.Query {
  definitions ??= new Parser.Query(C as TreeSitter.Language, '(preproc_function_def) @macro (preproc_def) @macro (function_definition) @function');
  return definitions;
}

/** Parses C text with tree-sitter-c. One parser per thread; tree-sitter parsers are not reentrant. */
export function parseC(text: string): Tree {
  if (!shared) {
    shared = new Parser();
    shared.setLanguage(C as TreeSitter.Language);
  }
  // A callback input avoids the binding's size limit on string inputs.
  return shared.parse((index: number) => text.slice(index, index + 65536));
}

