/**
 * Which rewrite an ESLint finding offers. Whether ESLint may apply it on `--fix` or only suggest it
 * is the catalog's `fix` (src/rules/catalog.ts, with the reason), for ESLint and `ringlint scan
 * --fix` alike.
 * The rewrite itself is the CLI's (src/fix/ownership-rewrite.ts), from the finding's decision
 * shape, so `eslint --fix` and `ringlint scan --fix` write the same code; the shape says how the
 * file names the USER bit (`TpStatus.USER`, an imported `TP_STATUS_USER`) and whether it compares
 * strictly.
 */
import { ownershipRewrite } from '../fix/ownership-rewrite.js';
import type { TextEdit } from '../fix/text-edit.js';
import type { LineIndex } from '../fix/text-positions.js';
import type { Finding } from '../model/finding.js';

/** A rewrite of the linted file's text (its offsets are ESLint's range). */
type Rewrite = Omit<TextEdit, 'file'>;

export function ownershipFix(finding: Finding, path: string, text: string, lines: LineIndex): Rewrite | undefined {
  const shape = finding.decisionShape;
  // A test inside a helper in another file is fixed there, not at this call.
  if (!shape || shape.test.file !== path) return undefined;
  return ownershipRewrite(shape, text, lines);
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
  return { start, end, replacement, description: `parenthesise the mask: ${replacement}` };
}
