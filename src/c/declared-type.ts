/** What the code says of a local's or parameter's type, read where it is used. */
import type { SyntaxNode } from './parser.js';
import { declaredName } from './program.js';

/** Where a function's declarations can be: C's and C++'s parameters, and its (and a lambda's) body. */
const DECLARATIONS = ['parameter_declaration', 'optional_parameter_declaration', 'declaration'];

/** The declared type of a parameter or local of the function around `use`, as written; undefined when not declared there. */
export function declaredType(name: string, use: SyntaxNode): SyntaxNode | undefined {
  let fn: SyntaxNode | null = use;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  if (!fn) return undefined;
  for (const declaration of fn.descendantsOfType(DECLARATIONS)) {
    for (const declarator of declaration.childrenForFieldName('declarator')) {
      const target = declarator.type === 'init_declarator' ? declarator.childForFieldName('declarator') : declarator;
      if (declaredName(target) === name) return declaration.childForFieldName('type') ?? undefined;
    }
  }
  return undefined;
}
