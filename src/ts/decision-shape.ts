/**
 * The spelling of a TypeScript/JavaScript ownership test in the shared DecisionShape form, so the
 * fixes computed from it (src/fix, the ESLint plugin) work for TS exactly as for C.
 */
import type { ts } from 'ts-morph';
import type { TypeScriptApi } from './typescript-api.js';
import type { DecisionForm, DecisionShape, SourceRange } from '../model/decision-shape.js';
import type { Span } from '../model/finding.js';

/** Operand kinds that bind looser than `&` (or, for `as`/`satisfies`, would swallow `& X` into a type). */
function needsParentheses(ts: TypeScriptApi, operand: ts.Expression): boolean {
  if (ts.isConditionalExpression(operand) || ts.isArrowFunction(operand) || ts.isYieldExpression(operand) ||
    ts.isAsExpression(operand) || ts.isSatisfiesExpression(operand)) return true;
  if (!ts.isBinaryExpression(operand)) return false;
  const operator = operand.operatorToken.kind;
  return ![
    ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken, ts.SyntaxKind.PercentToken, ts.SyntaxKind.PlusToken,
    ts.SyntaxKind.MinusToken, ts.SyntaxKind.LessThanLessThanToken, ts.SyntaxKind.GreaterThanGreaterThanToken,
    ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken, ts.SyntaxKind.AsteriskAsteriskToken,
  ].includes(operator);
}

/** Where a node is (or, from `start` to `end`, part of its file), 1-based. */
export function spanOf(node: ts.Node, start?: number, end?: number): Span {
  const source = node.getSourceFile();
  const from = source.getLineAndCharacterOfPosition(start ?? node.getStart(source));
  const to = source.getLineAndCharacterOfPosition(end ?? node.getEnd());
  return { line: from.line + 1, column: from.character + 1, endLine: to.line + 1, endColumn: to.character + 1 };
}

/** `userBit`: how the file names the USER bit at the test, for the forms a fix rewrites. */
export function comparisonShape(ts: TypeScriptApi, file: string, form: DecisionForm, test: ts.Node, operand: ts.Expression, userBit?: string): DecisionShape {
  return shapeOf(ts, form, spanOf(test), file, operand, userBit);
}

function shapeOf(ts: TypeScriptApi, form: DecisionForm, test: Span, file: string, operand: ts.Expression, userBit: string | undefined): DecisionShape {
  const range = (span: Span): SourceRange => ({ file, ...span, columnsInBytes: false });
  return {
    form,
    test: range(test),
    operand: range(spanOf(operand)),
    operandNeedsParentheses: needsParentheses(ts, operand),
    ...(userBit ? { userBit } : {}),
    strictEquality: true,
  };
}

/** `if (s)`, `Boolean(s)`, `switch (s)`: the test is the parenthesised condition, so the rewrite reads `if (s & TP_STATUS_USER)`. */
export function truthShape(ts: TypeScriptApi, file: string, condition: ts.Expression, userBit?: string): DecisionShape {
  const source = condition.getSourceFile();
  const parent = condition.parent;
  let start = condition.getStart(source);
  let end = condition.getEnd();
  // `Boolean(s)` has parentheses of its own too.
  const soleArgument = ts.isCallExpression(parent) && parent.arguments.length === 1 && parent.arguments[0] === condition;
  const statement = ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent) || ts.isSwitchStatement(parent);
  if ((statement && parent.expression === condition) || soleArgument) {
    const tokens = parent.getChildren(source);
    const open = tokens.find((token) => token.kind === ts.SyntaxKind.OpenParenToken);
    const close = tokens.find((token) => token.kind === ts.SyntaxKind.CloseParenToken);
    if (open && close) {
      start = open.getStart(source);
      end = close.getEnd();
    }
  }
  return shapeOf(ts, 'truthy', spanOf(condition, start, end), file, condition, userBit);
}
