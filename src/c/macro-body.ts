/**
 * tree-sitter keeps a `#define` body as text. To follow a decision through a function-like macro we
 * parse the body on its own, as the statement it expands to, and map positions back to the file.
 */
import type { SyntaxNode } from './parser.js';
import { plainCopy } from './plain-tree.js';
import type { MacroDefinition, Placement } from './program.js';

const WRAPPER_HEAD = 'void ringlint_macro_body(void) {\n';

const cache = new WeakMap<MacroDefinition, ReturnType<typeof parse>>();

/** The expression or statement the macro expands to (`root`), and where its nodes are in the file. */
export function parseMacroBody(macro: MacroDefinition): ReturnType<typeof parse> {
  if (!cache.has(macro)) cache.set(macro, parse(macro));
  return cache.get(macro);
}

function parse(macro: MacroDefinition): { root: SyntaxNode; placement: Placement } | undefined {
  // Line continuations become spaces so that rows and columns stay those of the file.
  let body = macro.body.replace(/\\(?=\r?\n)/g, ' ');
  // `(s) & TP_STATUS_USER` would parse as a cast of `&TP_STATUS_USER` to type `s`; a parameter in
  // parentheses is only ever a value, so the parentheses become spaces (same length, same meaning).
  for (const param of macro.params ?? []) {
    if (/^[A-Za-z_]\w*$/.test(param)) body = body.replace(new RegExp(`\\(\\s*${param}\\s*\\)`, 'g'), (match) => ` ${match.slice(1, -1)} `);
  }
  const text = `${WRAPPER_HEAD}${body}\n;}\n`;
  // In the grammar of the file that defines it: a C++ header's macros may hold C++.
  const wrapper = macro.unit.syntax.parse(text).rootNode.namedChild(0);
  const functionBody = wrapper ? plainCopy(wrapper, text).childForFieldName('body') : undefined;
  const statement = functionBody?.namedChildren.find((child) => child.type !== 'comment');
  if (!statement) return undefined;
  const root =
    statement.type === 'expression_statement' && statement.namedChildCount > 0 ? statement.namedChild(0)! : statement;
  return {
    root,
    placement: { file: macro.unit.path, rowBase: macro.unit.placement.rowBase + macro.bodyRow, firstRow: 1, columnBase: macro.bodyColumn },
  };
}
