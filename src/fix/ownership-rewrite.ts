/**
 * The mechanical rewrites of RL001–RL003 to a USER-bit test. The operand keeps its spelling; the
 * replacement keeps the test's top-level operator (`!=`/`==`, or none for a truth test), so the
 * surrounding expression parses exactly as before.
 */
import type { DecisionShape } from '../model/decision-shape.js';
import type { RuleId } from '../model/finding.js';
import type { TextEdit } from './text-edit.js';
import type { LineIndex } from './text-positions.js';

export const FIXABLE_RULES: ReadonlySet<RuleId> = new Set(['RL001', 'RL002', 'RL003']);

const USER_BIT = 'TP_STATUS_USER';

export function ownershipRewrite(shape: DecisionShape, text: string, lines: LineIndex): TextEdit | undefined {
  if (shape.form === 'switch-case') return undefined; // the cases have to be restructured by hand
  const testStart = lines.offsetOf(shape.test.line, shape.test.column, shape.test.columnsInBytes);
  const testEnd = lines.offsetOf(shape.test.endLine, shape.test.endColumn, shape.test.columnsInBytes);
  const operandStart = lines.offsetOf(shape.operand.line, shape.operand.column, shape.operand.columnsInBytes);
  const operandEnd = lines.offsetOf(shape.operand.endLine, shape.operand.endColumn, shape.operand.columnsInBytes);
  if (testStart === undefined || testEnd === undefined || operandStart === undefined || operandEnd === undefined) return undefined;
  if (operandStart < testStart || operandEnd > testEnd || operandStart >= operandEnd) return undefined;
  const operand = text.slice(operandStart, operandEnd);
  const bitTest = `${shape.operandNeedsParentheses ? `(${operand})` : operand} & ${USER_BIT}`;
  const file = shape.test.file;
  switch (shape.form) {
    case 'kernel-inequality':
    case 'user-equality':
      return { file, start: testStart, end: testEnd, replacement: `(${bitTest}) != 0`, description: `test the ${USER_BIT} bit: (${bitTest}) != 0` };
    case 'kernel-equality':
    case 'user-inequality':
      return { file, start: testStart, end: testEnd, replacement: `(${bitTest}) == 0`, description: `test the ${USER_BIT} bit: (${bitTest}) == 0` };
    case 'truthy':
      // `if (s)`: the condition's own parentheses already group the new test.
      if (operandStart > testStart && operandEnd < testEnd) {
        return { file, start: operandStart, end: operandEnd, replacement: bitTest, description: `test the ${USER_BIT} bit: ${bitTest}` };
      }
      return { file, start: testStart, end: testEnd, replacement: `(${bitTest})`, description: `test the ${USER_BIT} bit: (${bitTest})` };
  }
}
