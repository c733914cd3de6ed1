/**
 * The "not KERNEL ⇒ not free" judgement. A loop that counts free slots (libpcap walks its ring
 * backwards after a filter change and stops at the first slot that is not TP_STATUS_KERNEL) stays
 * right under TP_STATUS_IN_PROGRESS: such a slot is indeed not free. What separates it from a
 * consumer is what the "not KERNEL" outcome leads to: here it only stops the count, and the
 * function never reads, releases or waits for a frame.
 */
import type { DecisionEvent } from '../model/evaluation-events.js';
import type { FunctionFacts } from './function-facts.js';
import type { SyntaxNode } from './parser.js';
import { operatorOf } from './tree-walk.js';

const LOOPS = new Set(['for_statement', 'while_statement', 'do_statement', 'for_range_loop']);

export function freeSlotCountOnly(event: DecisionEvent<SyntaxNode>, facts: FunctionFacts): boolean {
  if (facts.touchesFrames || event.notKernelWhenTrue === undefined) return false;
  if (event.decision.ruleId !== 'RL001' && event.decision.ruleId !== 'RL004') return false;
  let looksOwnedWhenTrue = event.notKernelWhenTrue;
  let node: SyntaxNode = event.site;
  for (;;) {
    const parent = node.parent;
    if (!parent) return false;
    // C++'s condition clause is its `if`'s parentheses.
    if (parent.type === 'parenthesized_expression' || parent.type === 'condition_clause') {
      node = parent;
    } else if (parent.type === 'unary_expression' && operatorOf(parent) === '!') {
      looksOwnedWhenTrue = !looksOwnedWhenTrue;
      node = parent;
    } else if (parent.type === 'if_statement' && parent.childForFieldName('condition')?.id === node.id) {
      if (!insideLoop(parent)) return false;
      const ownedBranch = parent.childForFieldName(looksOwnedWhenTrue ? 'consequence' : 'alternative');
      const freeBranch = parent.childForFieldName(looksOwnedWhenTrue ? 'alternative' : 'consequence');
      return ownedBranch ? onlyLeavesTheLoop(ownedBranch) : onlyCounts(freeBranch);
    } else {
      return false;
    }
  }
}

function insideLoop(node: SyntaxNode): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (LOOPS.has(current.type)) return true;
    if (current.type === 'function_definition' || current.type === 'lambda_expression') return false;
  }
  return false;
}

function statementsOf(branch: SyntaxNode): SyntaxNode[] {
  const inner = branch.type === 'else_clause' ? branch.namedChild(0) : branch;
  if (!inner) return [];
  if (inner.type === 'compound_statement') return inner.namedChildren.filter((child) => child.type !== 'comment');
  return [inner];
}

function onlyLeavesTheLoop(branch: SyntaxNode): boolean {
  const statements = statementsOf(branch);
  return statements.length === 1 && (statements[0]!.type === 'break_statement' || statements[0]!.type === 'continue_statement');
}

/** `n++`, `free += 1`: the free branch does nothing but count. */
function onlyCounts(branch: SyntaxNode | null): boolean {
  if (!branch) return false;
  const statements = statementsOf(branch);
  return (
    statements.length > 0 &&
    statements.every((statement) => {
      const expression = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
      return expression?.type === 'update_expression' || expression?.type === 'assignment_expression';
    })
  );
}
