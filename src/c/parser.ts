import { loadGrammarParser, type Point, type SyntaxNode, type SyntaxTree, type TreeSitterNode } from '../tree-sitter/grammar-parser.js';

/** A node of tree-sitter's own tree (from either runtime), as opposed to the plain copies of plain-tree.ts. */
export type NativeNode = TreeSitterNode;
export type Tree = SyntaxTree;
export type { Point, SyntaxNode };

/** The nodes the first pass indexes, by what they are to the index. */
export type IndexedNodes = Record<'macro' | 'function' | 'callee' | 'mask', NativeNode[]>;

const DEFINITION_TYPES = ['preproc_function_def', 'preproc_def', 'function_definition'];

/**
 * The nodes the first pass indexes, each kind in document order: macro and function definitions;
 * with `calls`, the identifier of each call by name; with `masks`, every `a & b`, an inner one of
 * `a & b & c` first. Found by node type rather than with a tree-sitter query, which has to be compiled
 * first and, measured on the kernel's af_packet.c, ran slower over the same tree than this walk.
 */
export function indexedNodes(
  root: NativeNode, { definitions, calls, masks, memberCalls = false }: { definitions: boolean; calls: boolean; masks: boolean; memberCalls?: boolean },
): IndexedNodes {
  const types = [...(definitions ? DEFINITION_TYPES : []), ...(calls ? ['call_expression'] : []), ...(masks ? ['binary_expression'] : [])];
  const found: IndexedNodes = { macro: [], function: [], callee: [], mask: [] };
  for (const node of root.descendantsOfType(types)) {
    switch (node.type) {
      case 'call_expression': {
        const callee = calleeNameNode(node.childForFieldName('function'), memberCalls);
        if (callee) found.callee.push(callee);
        break;
      }
      case 'binary_expression':
        if (node.childForFieldName('operator')?.type === '&') found.mask.push(node);
        break;
      case 'function_definition':
        found.function.push(node);
        break;
      default:
        found.macro.push(node);
    }
  }
  // A walk meets the outer of two masks that start together first; the rule keeps the first finding
  // at a position, and it has always been the inner one's.
  found.mask.sort((a, b) => a.startIndex - b.startIndex || a.endIndex - b.endIndex);
  return found;
}

/**
 * The identifier naming what a call calls: `f`, C++'s `ns::f`/`f<T>` by their last name, and with
 * `memberCalls` the member function of `r.f()`. Calls through function pointers name nothing.
 */
function calleeNameNode(callee: NativeNode | null, memberCalls: boolean): NativeNode | undefined {
  let current = callee;
  while (current?.type === 'qualified_identifier' || current?.type === 'template_function') current = current.childForFieldName('name');
  if (current?.type === 'identifier') return current;
  if (memberCalls && current?.type === 'field_expression') {
    const field = current.childForFieldName('field');
    return field?.type === 'template_method' ? (field.childForFieldName('name') ?? undefined) : (field ?? undefined);
  }
  return undefined;
}

/**
 * `parseC` parses C text with tree-sitter-c, from the runtime `parserRuntime` names: native where it
 * loads, else WebAssembly. One parser per thread (each worker loads this module anew): tree-sitter
 * parsers are not reentrant.
 */
export const { parse: parseC, runtime: parserRuntime } = await loadGrammarParser('c');

