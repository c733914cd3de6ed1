/**
 * The mechanical rewrites of RL001–RL003 to a USER-bit test. The operand keeps its spelling; the
 * replacement keeps the test's top-level operator (`!=`/`==`, or none for a truth test), so the
 * surrounding expression parses exactly as before.
 */
import type { DecisionShape, SourceRange } from '../model/decision-shape.js';
import { USER_BIT } from '../model/status-vocabulary.js';
import type { TextEdit } from './text-edit.js';
import type { LineIndex } from './text-positions.js';

export function ownershipRewrite(shape: DecisionShape, text: string, lines: LineIndex): TextEdit | undefined {
  if (shape.form === 'switch-case') return undefined; // the cases have to be restructured by hand
  const test = rangeIn(shape.test, text, lines);
  let operand = rangeIn(shape.operand, text, lines);
  if (!test || !operand || operand.start < test.start || operand.end > test.end || operand.start >= operand.end) return undefined;
  // A macro parameter in parentheses, `(s)`, keeps them: they guard against the argument's precedence.
  // (The macro body was parsed with them blanked, so the test itself starts inside them.)
  const testStartedInside = lines.offsetOf(shape.test.line, shape.test.column, shape.test.columnsInBytes) === operand.start;
  if (text[operand.start - 1] === '(' && text[operand.end] === ')' && testStartedInside) {
    operand = { start: operand.start - 1, end: operand.end + 1 };
    test.start = Math.min(test.start, operand.start);
    test.end = Math.max(test.end, operand.end);
  }
  const balancedTest = balanced(text, test);
  if (!balancedTest) return undefined;
  const { start: testStart, end: testEnd } = balancedTest;
  const { start: operandStart, end: operandEnd } = operand;
  const operandText = text.slice(operandStart, operandEnd);
  const operandValue = shape.operandMayBeNullish ? `(${operandText} ?? 0)` : shape.operandNeedsParentheses ? `(${operandText})` : operandText;
  const bitTest = `${operandValue} & ${shape.userBit ?? USER_BIT}`;
  const [equal, notEqual] = shape.strictEquality ? ['===', '!=='] : ['==', '!='];
  // Every rewrite says what it does in the same words: the new test.
  const rewrite = (start: number, end: number, replacement: string): TextEdit => ({ file: shape.test.file, start, end, replacement, description: `test the ${USER_BIT} bit: ${replacement}` });
  switch (shape.form) {
    case 'kernel-inequality':
    case 'user-equality':
      return rewrite(testStart, testEnd, `(${bitTest}) ${notEqual} 0`);
    case 'kernel-equality':
    case 'user-inequality':
      return rewrite(testStart, testEnd, `(${bitTest}) ${equal} 0`);
    case 'truthy':
      // `if (s)`: the condition's own parentheses already group the new test.
      if (operandStart > testStart && operandEnd < testEnd) return rewrite(operandStart, operandEnd, bitTest);
      return rewrite(testStart, testEnd, `(${bitTest})`);
  }
}

interface OffsetRange {
  start: number;
  end: number;
}

/** Where a range is in the text; macro bodies are parsed with `(param)` blanked, so a range may cut a parenthesis. */
function rangeIn(range: SourceRange, text: string, lines: LineIndex): OffsetRange | undefined {
  const start = lines.offsetOf(range.line, range.column, range.columnsInBytes);
  const end = lines.offsetOf(range.endLine, range.endColumn, range.columnsInBytes);
  if (start === undefined || end === undefined) return undefined;
  return balanced(text, { start, end });
}

/** Widens a range over the parentheses it opens or closes without its partner; undefined when they are not there. */
function balanced(text: string, range: OffsetRange): OffsetRange | undefined {
  let depth = 0;
  let unmatchedClosing = 0;
  for (let index = range.start; index < range.end; index++) {
    if (text[index] === '(') depth++;
    else if (text[index] === ')') {
      if (depth > 0) depth--;
      else unmatchedClosing++;
    }
  }
  let { start, end } = range;
  for (; unmatchedClosing > 0; unmatchedClosing--) {
    while (start > 0 && /\s/.test(text[start - 1] ?? '')) start--;
    if (text[start - 1] !== '(') return undefined;
    start--;
  }
  for (; depth > 0; depth--) {
    while (end < text.length && /\s/.test(text[end] ?? '')) end++;
    if (text[end] !== ')') return undefined;
    end++;
  }
  return { start, end };
}
