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

/**
 * Strips parentheses and casts, which never change what a test means: C's, and C++'s (a condition's
 * parentheses, `static_cast<T>(x)`, `uint32_t(x)`; tree-sitter-cpp's nodes, absent from C trees).
 */
export function unwrap(node: SyntaxNode): SyntaxNode {
  let current = node;
  for (;;) {
    if ((current.type === 'parenthesized_expression' || isPlainCondition(current)) && current.namedChildCount === 1) {
      current = current.namedChild(0)!;
    } else if (current.type === 'cast_expression') {
      const value = current.childForFieldName('value');
      if (!value) return current;
      current = value;
    } else {
      const converted = current.type === 'call_expression' && isCast(current) ? callArguments(current) : [];
      if (converted.length !== 1) return current;
      current = converted[0]!; // length checked
    }
  }
}

/** C++'s `if (x)`: a condition clause holding just an expression (no init-statement, no declaration). */
function isPlainCondition(node: SyntaxNode): boolean {
  return node.type === 'condition_clause' && node.childForFieldName('initializer') === null && node.childForFieldName('value')?.type !== 'declaration';
}

const CAST_KEYWORDS: ReadonlySet<string> = new Set(['static_cast', 'reinterpret_cast', 'const_cast']);
const TYPE_NODES: ReadonlySet<string> = new Set(['primitive_type', 'sized_type_specifier']);

/** `static_cast<uint32_t>(x)` and the functional cast `uint32_t(x)`. */
export function isCast(call: SyntaxNode): boolean {
  const callee = call.childForFieldName('function');
  if (!callee) return false;
  if (TYPE_NODES.has(callee.type)) return true;
  return callee.type === 'template_function' && CAST_KEYWORDS.has(callee.childForFieldName('name')?.text ?? '');
}

/**
 * The name a call calls: `f(…)`; C++'s `ns::f(…)`, `::poll(…)` and `f<T>(…)` by their last name.
 * Calls through an object (`r.f()`) or a function pointer have none here (see `memberCallOf`).
 */
export function callName(call: SyntaxNode): string | undefined {
  const callee = call.childForFieldName('function');
  return callee ? nameOf(callee) : undefined;
}

/** The last name of an identifier, qualified identifier or template function. */
export function nameOf(node: SyntaxNode): string | undefined {
  let current: SyntaxNode | null = node;
  while (current?.type === 'qualified_identifier' || current?.type === 'template_function') current = current.childForFieldName('name');
  return current?.type === 'identifier' ? current.text : undefined;
}

/** `r.f(…)`, `p->f(…)`: the object called through, and the member function's name. */
export function memberCallOf(call: SyntaxNode): { receiver: SyntaxNode; name: string } | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'field_expression') return undefined;
  const receiver = callee.childForFieldName('argument');
  const field = callee.childForFieldName('field');
  // `r.template get<T>()` names a template_method; its name is what is called.
  const name = field?.type === 'template_method' ? field.childForFieldName('name')?.text : field?.text;
  return receiver && name ? { receiver, name } : undefined;
}

export function callArguments(call: SyntaxNode): SyntaxNode[] {
  return call.childForFieldName('arguments')?.namedChildren.filter((child) => child.type !== 'comment') ?? [];
}

export function operatorOf(node: SyntaxNode): string | undefined {
  const operator = node.childForFieldName('operator')?.type;
  return operator === undefined ? undefined : (ALTERNATIVE_TOKENS.get(operator) ?? operator);
}

/** C++'s alternative tokens, as the operators they are. */
const ALTERNATIVE_TOKENS: ReadonlyMap<string, string> = new Map([
  ['not_eq', '!='], ['and', '&&'], ['or', '||'], ['not', '!'], ['bitand', '&'], ['bitor', '|'], ['xor', '^'], ['compl', '~'],
]);
