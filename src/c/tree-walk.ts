/** Walking tree-sitter trees without recursion (inputs may nest 10 000 levels deep) and without dead code. */
import type { SyntaxNode } from './parser.js';

/** `#if 0` … `#endif`: the branch is dead, its `#else` is live. */
function isDeadIf(node: SyntaxNode): boolean {
  if (node.type !== 'preproc_if') return false;
  const condition = node.childForFieldName('condition');
  return condition?.type === 'number_literal' && /^0+[uUlL]*$/.test(condition.text);
}

/** Whether a node sits in the dead branch of an `#if 0`. */
export function isInDeadCode(node: SyntaxNode): boolean {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (isDeadIf(parent) && parent.childForFieldName('alternative')?.id !== child.id) return true;
  }
  return false;
}

/**
 * The byte ranges of every `#if 0` branch below `root`: checking many nodes against them is far
 * cheaper than walking each node's ancestors, one native call per step.
 */
export function deadCodeRanges(root: SyntaxNode): Array<[start: number, end: number]> {
  return root.descendantsOfType('preproc_if').filter(isDeadIf).map((node) => {
    const start = node.childForFieldName('condition')!.endIndex; // a dead #if has its 0
    return [start, node.childForFieldName('alternative')?.startIndex ?? node.endIndex];
  });
}

export function isInRanges(ranges: ReadonlyArray<readonly [number, number]>, index: number): boolean {
  return ranges.some(([start, end]) => index >= start && index < end);
}

/** The children that are code the compiler sees (as far as the source alone tells). */
export function liveChildren(node: SyntaxNode): SyntaxNode[] {
  if (isDeadIf(node)) {
    const alternative = node.childForFieldName('alternative');
    return alternative ? [alternative] : [];
  }
  return node.namedChildren;
}

/** Every live node below `root` (root included), in source order. */
export function* liveDescendants(root: SyntaxNode): Generator<SyntaxNode> {
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!; // non-empty: checked by the loop condition
    yield node;
    const children = liveChildren(node);
    for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]!);
  }
}

/** Strips parentheses and casts, which never change what a test means. */
export function unwrap(node: SyntaxNode): SyntaxNode {
  let current = node;
  for (;;) {
    if (current.type === 'parenthesized_expression' && current.namedChildCount === 1) {
      current = current.namedChild(0)!;
    } else if (current.type === 'cast_expression') {
      const value = current.childForFieldName('value');
      if (!value) return current;
      current = value;
    } else {
      return current;
    }
  }
}

export function callName(call: SyntaxNode): string | undefined {
  const callee = call.childForFieldName('function');
  return callee?.type === 'identifier' ? callee.text : undefined;
}

export function callArguments(call: SyntaxNode): SyntaxNode[] {
  return call.childForFieldName('arguments')?.namedChildren.filter((child) => child.type !== 'comment') ?? [];
}

export function operatorOf(node: SyntaxNode): string | undefined {
  return node.childForFieldName('operator')?.type;
}
