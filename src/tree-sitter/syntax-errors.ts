import type { TreeSitterNode } from './grammar-parser.js';

/** ERROR and MISSING nodes below `root`: what tree-sitter could not make sense of. */
export function syntaxErrorCount(root: TreeSitterNode): number {
  let count = 0;
  const stack: TreeSitterNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!; // non-empty: checked by the loop condition
    if (node.isError || node.isMissing) count++;
    if (node.hasError) stack.push(...node.children);
  }
  return count;
}
