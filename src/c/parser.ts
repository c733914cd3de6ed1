import Parser from 'tree-sitter';
import C from 'tree-sitter-c';

export type NativeNode = Parser.SyntaxNode;
export type Tree = Parser.Tree;
export type Point = Parser.Point;

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

let shared: Parser | undefined;
let index: Parser.Query | undefined;

/** Captures what the first pass indexes: macros, functions, callees, masks. */
export function indexQuery(): Parser.Query {
  index ??= new Parser.Query(
    C as Parser.Language,
    `(preproc_function_def) @macro
     (preproc_def) @macro
     (function_definition) @function
     (call_expression function: (identifier) @callee)
     (binary_expression operator: "&") @mask`,
  );
  return index;
}

let definitions: Parser.Query | undefined;

let calls: Parser.Query | undefined;

/** Captures the names called, as `indexQuery` does. */
export function callQuery(): Parser.Query {
  calls ??= new Parser.Query(C as Parser.Language, '(call_expression function: (identifier) @callee)');
  return calls;
}

/** Captures the macros and functions of a text, as `indexQuery` does. */
export function definitionQuery(): Parser.Query {
  definitions ??= new Parser.Query(C as Parser.Language, '(preproc_function_def) @macro (preproc_def) @macro (function_definition) @function');
  return definitions;
}

/** Parses C text with tree-sitter-c. One parser per thread; tree-sitter parsers are not reentrant. */
export function parseC(text: string): Tree {
  if (!shared) {
    shared = new Parser();
    shared.setLanguage(C as Parser.Language);
  }
  // A callback input avoids the binding's size limit on string inputs.
  return shared.parse((index: number) => text.slice(index, index + 65536));
}

