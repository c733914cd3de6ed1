import type { Finding } from './finding.js';

/** The order findings are reported in, by every command: file, line, column, rule. */
export function compareFindings(a: Finding, b: Finding): number {
  return compareText(a.file, b.file) || a.line - b.line || a.column - b.column || compareText(a.ruleId, b.ruleId);
}

/** Code-unit order, not locale order: the same output on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
