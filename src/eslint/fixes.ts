/**
 * Which rewrite an ESLint finding offers, and whether ESLint may apply it on `--fix`.
 *
 * The catalog's `fix` says which (src/rules/catalog.ts), for ESLint and `ringlint scan --fix` alike:
 * - RL001/RL002 (`s !== KERNEL`, `if (s)`): autofix. On every kernel released so far a status word
 *   is either 0 or has the USER bit, so the USER-bit test behaves identically today and only differs
 *   for the IN_PROGRESS state it exists to handle.
 * - RL003 (`s === USER`): autofix. The USER-bit test only also takes frames the kernel handed over
 *   with flag bits, which the exact test leaves in the ring for good: it never takes a slot the
 *   consumer does not own.
 * - RL007 (`s & USER === 0`): suggestion. A constant test becomes a real one, which changes what the
 *   code around it does; a person should look at that before accepting.
 * The rewrite itself is the CLI's (src/fix/ownership-rewrite.ts), from the finding's decision
 * shape, so `eslint --fix` and `ringlint scan --fix` write the same code; the shape says how the
 * file names the USER bit (`TpStatus.USER`, an imported `TP_STATUS_USER`) and whether it compares
 * strictly.
 */
import { ownershipRewrite } from '../fix/ownership-rewrite.js';
import type { LineIndex } from '../fix/text-positions.js';
import type { Finding } from '../model/finding.js';

export interface Rewrite {
  range: [number, number];
  text: string;
  description: string;
}

export function ownershipFix(finding: Finding, path: string, text: string, lines: LineIndex): Rewrite | undefined {
  const shape = finding.decisionShape;
  // A test inside a helper in another file is fixed there, not at this call.
  if (!shape || shape.test.file !== path) return undefined;
  const edit = ownershipRewrite(shape, text, lines);
  return edit ? { range: [edit.start, edit.end], text: edit.replacement, description: edit.description } : undefined;
}

/** `s & TP_STATUS_USER === 0` → `(s & TP_STATUS_USER) === 0`, from the finding's own span. */
export function maskPrecedenceFix(finding: Finding, text: string, lines: LineIndex): Rewrite | undefined {
  const start = lines.offsetOf(finding.line, finding.column, false);
  const end = lines.offsetOf(finding.endLine, finding.endColumn, false);
  if (start === undefined || end === undefined) return undefined;
  const expression = text.slice(start, end);
  const match = /^([^&]+?)\s*&\s*([^&=!<>]+?)\s*(===|!==|==|!=|<=|>=|<|>)\s*(.+)$/s.exec(expression);
  if (!match) return undefined;
  const [, operand, mask, operator, compared] = match;
  const replacement = `(${operand} & ${mask}) ${operator} ${compared}`;
  return { range: [start, end], text: replacement, description: `parenthesise the mask: ${replacement}` };
}
