/**
 * tree-sitter parsers, from whichever runtime loads here. The native runtime (the `tree-sitter`
 * package, installed as `@ringlint/tree-sitter`) is the default; its prebuilt binary needs a newer
 * libstdc++ than Debian 12 or Ubuntu 22.04 have, so it is usually compiled at install, and it is
 * missing where there is no compiler or install scripts are blocked (pnpm 10, npm 12). Then the
 * parser is web-tree-sitter's WebAssembly build with the `.wasm` grammar the grammar package ships:
 * the same parser in C, compiled to WebAssembly, so the trees are the same (test/tree-sitter/ checks).
 *
 * Both runtimes parse JavaScript strings as UTF-16, so indices and columns count UTF-16 code units.
 */
/// <reference types="@ringlint/tree-sitter" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
// The package declares its types as the ambient module 'tree-sitter'; it is installed under an alias.
import type NativeTreeSitter from 'tree-sitter';
import type * as WebTreeSitter from 'web-tree-sitter';

// Required, not imported: importing a CommonJS module makes Node lex its source for export names,
// and tree-sitter's source is large enough to keep V8's optimizing compiler busy on the side.
const require = createRequire(import.meta.url);

/**
 * The grammars ringlint parses; one more language is one more row. A grammar package's JS entry
 * loads the native grammar, and it ships the grammar as WebAssembly; `language` is named in the
 * fallback's note.
 */
const GRAMMARS = {
  c: { package: 'tree-sitter-c', wasm: 'tree-sitter-c.wasm', language: 'C' },
  cpp: { package: 'tree-sitter-cpp', wasm: 'tree-sitter-cpp.wasm', language: 'C++' },
};

type Grammar = (typeof GRAMMARS)[keyof typeof GRAMMARS];

export type Runtime = 'native' | 'wasm';

/** The native runtime's package: the `tree-sitter` package under an alias (package.json says why). */
export const NATIVE_RUNTIME_PACKAGE = '@ringlint/tree-sitter';

/** The environment variable that picks a runtime (tests and benchmarks compare them). */
export const RUNTIME_VARIABLE = 'RINGLINT_PARSER';

export interface Point {
  row: number;
  column: number;
}

/** What the analysis reads of a syntax node whose parent, children and descendants are `Node`s. */
interface NodeOf<Node> {
  readonly id: number;
  readonly type: string;
  readonly text: string;
  readonly parent: Node | null;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly namedChildren: Node[];
  readonly namedChildCount: number;
  namedChild(index: number): Node | null;
  childForFieldName(name: string): Node | null;
  childrenForFieldName(name: string): Node[];
  descendantsOfType(types: string | string[]): Node[];
}

/**
 * What the analysis reads of a syntax node. tree-sitter's own nodes have it, and so do the plain
 * copies the evaluator reads function bodies from (src/c/plain-tree.ts).
 */
export interface SyntaxNode extends NodeOf<SyntaxNode> {}

/** What ringlint reads of a tree-sitter node; the nodes of both runtimes have it. */
export interface TreeSitterNode extends NodeOf<TreeSitterNode> {
  readonly isNamed: boolean;
  readonly isError: boolean;
  readonly isMissing: boolean;
  readonly hasError: boolean;
  /** The tree it belongs to, and that tree's grammar (the same object for every tree of a grammar). */
  readonly tree: { readonly language: object };
  readonly children: TreeSitterNode[];
  /** The smallest node spanning the range: this node at least, for a range inside it. */
  descendantForIndex(start: number, end?: number): TreeSitterNode;
  walk(): TreeSitterCursor;
}

export interface TreeSitterCursor {
  readonly nodeType: string;
  readonly nodeTypeId: number;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  /** When the node fills no field: 0 from WebAssembly, undefined from the native runtime. */
  readonly currentFieldId: number | undefined;
  /** Read only when `currentFieldId` names a field. */
  readonly currentFieldName: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  /** WebAssembly cursors hold memory of the WebAssembly heap until deleted; native ones have no `delete`. */
  delete?(): void;
}

export interface SyntaxTree {
  readonly rootNode: TreeSitterNode;
}

export interface GrammarParser {
  readonly runtime: Runtime;
  /** Not reentrant, like tree-sitter's parser: one parser per thread. */
  parse(text: string): SyntaxTree;
}

/** The parser for a grammar, from the runtime `RINGLINT_PARSER` asks for, by default native where it loads. */
export async function loadGrammarParser(name: keyof typeof GRAMMARS, requested: Runtime | undefined = requestedRuntime()): Promise<GrammarParser> {
  const grammar = GRAMMARS[name];
  if (requested === 'wasm') return wasmParser(grammar);
  let failure: unknown;
  try {
    return nativeParser(grammar);
  } catch (error) {
    if (requested === 'native') throw error;
    failure = error;
  }
  let parser: GrammarParser;
  try {
    parser = await wasmParser(grammar);
  } catch (error) {
    throw new Error(`tree-sitter does not load: its native module (${reasonOf(failure)}), nor its WebAssembly build (${reasonOf(error)})`);
  }
  // Worker threads load their own parsers, and C++'s grammar loads beside C's: one note for the
  // process is enough. On a terminal the line is cleared first: a scan's progress line
  // (src/cli/progress-display.ts) may be on it.
  if (isMainThread && !fallbackNoted) {
    fallbackNoted = true;
    const clearLine = process.stderr.isTTY ? '\r\x1b[K' : '';
    process.stderr.write(`${clearLine}ringlint: note: parsing ${grammar.language} with tree-sitter's WebAssembly build: its native module does not load here (${reasonOf(failure)})\n`);
  }
  return parser;
}

/** Whether the fallback's note was written: the runtime is the process's, whichever grammar loads first. */
let fallbackNoted = false;

function requestedRuntime(): Runtime | undefined {
  const value = process.env[RUNTIME_VARIABLE];
  if (value === undefined || value === '') return undefined;
  if (value === 'native' || value === 'wasm') return value;
  throw new Error(`${RUNTIME_VARIABLE} must be 'native' or 'wasm', not '${value}'`);
}

/** A loader's error in one line: `libstdc++.so.6: version 'GLIBCXX_3.4.31' not found`, `not installed`. */
function reasonOf(error: unknown): string {
  if ((error as { code?: unknown }).code === 'MODULE_NOT_FOUND') return 'not installed';
  const line = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  return line.replace(/ \(required by [^)]*\)$/, '').replace(/^\/\S*\//, '');
}

/** The text as both parsers read it, by chunks: the native binding limits the size of a string input. */
function chunksOf(text: string): (index: number) => string {
  return (index) => text.slice(index, index + 65536);
}

function nativeParser(grammar: Grammar): GrammarParser {
  const Parser = require(NATIVE_RUNTIME_PACKAGE) as typeof NativeTreeSitter;
  const parser = new Parser();
  parser.setLanguage(require(grammar.package) as NativeTreeSitter.Language);
  return {
    runtime: 'native',
    // Its typings leave out `Tree.language`, which the binding sets (the grammar object given above).
    parse: (text): SyntaxTree => parser.parse(chunksOf(text)) as unknown as SyntaxTree,
  };
}

/** web-tree-sitter's module, initialised once: a second `Parser.init` would replace the WebAssembly instance under the first's languages. */
let webTreeSitter: Promise<typeof WebTreeSitter> | undefined;

function initialisedWebTreeSitter(): Promise<typeof WebTreeSitter> {
  webTreeSitter ??= import('web-tree-sitter').then(async (module) => {
    await module.Parser.init();
    return module;
  });
  return webTreeSitter;
}

async function wasmParser(grammar: Grammar): Promise<GrammarParser> {
  const { Parser, Language, Tree } = await initialisedWebTreeSitter();
  const wasmFile = join(dirname(require.resolve(`${grammar.package}/package.json`)), grammar.wasm);
  const parser = new Parser();
  parser.setLanguage(await Language.load(readFileSync(wasmFile)));
  // A WebAssembly tree lives in the WebAssembly heap until deleted; native trees are garbage collected.
  // So is this one's JavaScript object, which every node and cursor of the tree refers to: once it is
  // collected nothing can read the tree, and it is deleted by its address (the object is gone). The
  // address is web-tree-sitter's internal `[0]`, hence its exact version in package.json;
  // test/tree-sitter/wasm-tree-memory.test.ts fails if trees stop being freed.
  const deleteTree = Tree.prototype.delete as (this: { 0: number }) => void;
  const trees = new FinalizationRegistry<number>((address) => deleteTree.call({ 0: address }));
  return {
    runtime: 'wasm',
    parse(text): SyntaxTree {
      const tree = parser.parse(chunksOf(text));
      if (!tree) throw new Error(`tree-sitter (WebAssembly) returned no tree for ${grammar.language}`);
      trees.register(tree, (tree as unknown as { 0: number })[0]);
      // Its nodes list children as `(Node | null)[]`; a child is never null.
      return tree as unknown as SyntaxTree;
    },
  };
}
