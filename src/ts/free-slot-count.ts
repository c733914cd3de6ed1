/**
 * The "not KERNEL ⇒ not free" judgement, as in the C front end (src/c/free-slot-count.ts): a loop
 * that stops at the first slot that is not TP_STATUS_KERNEL, or only counts free ones, stays right
 * under TP_STATUS_IN_PROGRESS when the function never reads, releases or waits for a frame.
 */
import type { ts } from 'ts-morph';
import type { TypeScriptApi } from './typescript-api.js';
import type { FunctionFacts } from './function-context.js';
import type { DecisionEvent } from './evaluator.js';
import { isFunctionLike } from './function-units.js';

export function freeSlotCountOnly(ts: TypeScriptApi, event: DecisionEvent, facts: FunctionFacts): boolean {
  if (facts.touchesFrames || event.notKernelWhenTrue === undefined) return false;
  if (event.decision.ruleId !== 'RL001' && event.decision.ruleId !== 'RL004') return false;
  let looksOwnedWhenTrue = event.notKernelWhenTrue;
  let node: ts.Node = event.site;
  for (;;) {
    const parent = node.parent;
    if (!parent) return false;
    if (ts.isParenthesizedExpression(parent)) {
      node = parent;
    } else if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) {
      looksOwnedWhenTrue = !looksOwnedWhenTrue;
      node = parent;
    } else if (ts.isIfStatement(parent) && parent.expression === node) {
      if (!insideLoop(ts, parent)) return false;
      const ownedBranch = looksOwnedWhenTrue ? parent.thenStatement : parent.elseStatement;
      const freeBranch = looksOwnedWhenTrue ? parent.elseStatement : parent.thenStatement;
      return ownedBranch ? onlyLeavesTheLoop(ts, ownedBranch) : onlyCounts(ts, freeBranch);
    } else {
      return false;
    }
  }
}

function insideLoop(ts: TypeScriptApi, node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isIterationStatement(current, false)) return true;
    if (isFunctionLike(ts, current)) return false;
  }
  return false;
}

function statementsOf(ts: TypeScriptApi, branch: ts.Statement): readonly ts.Statement[] {
  return ts.isBlock(branch) ? branch.statements : [branch];
}

function onlyLeavesTheLoop(ts: TypeScriptApi, branch: ts.Statement): boolean {
  const statements = statementsOf(ts, branch);
  return statements.length === 1 && (ts.isBreakStatement(statements[0]!) || ts.isContinueStatement(statements[0]!));
}

/** `n++`, `free += 1`: the free branch does nothing but count. */
function onlyCounts(ts: TypeScriptApi, branch: ts.Statement | undefined): boolean {
  if (!branch) return false;
  const statements = statementsOf(ts, branch);
  return (
    statements.length > 0 &&
    statements.every((statement) => {
      if (!ts.isExpressionStatement(statement)) return false;
      const expression = statement.expression;
      return ts.isPostfixUnaryExpression(expression) || ts.isPrefixUnaryExpression(expression) ||
        (ts.isBinaryExpression(expression) && expression.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
          expression.operatorToken.kind <= ts.SyntaxKind.LastAssignment);
    })
  );
}
