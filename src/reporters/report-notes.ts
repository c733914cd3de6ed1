/**
 * What accompanies findings without being one: problems with suppression comments and baseline
 * entries whose finding is gone. Rule ids are a public contract, so these never pose as findings.
 */
import type { PolicyOutcome } from '../policy/finding-policy.js';
import { visiblePath, visibleText } from './terminal-text.js';

/** What the formats without a list of their own (github, rdjson) say of a file in the report's errors. */
export const NOT_ANALYSED_IN_FULL = 'ringlint could not analyse this file in full';

export type ReportNotes = Pick<PolicyOutcome, 'suppressionProblems' | 'staleBaselineEntries'>;

/** Plain lines, for standard error (scan) or the end of a text review; names and messages made visible (terminal-text.ts). */
export function formatNotesText(notes: ReportNotes): string {
  const lines: string[] = [];
  if (notes.suppressionProblems.length > 0) {
    lines.push('suppression problems:');
    for (const problem of notes.suppressionProblems) lines.push(`  ${visiblePath(problem.file)}:${problem.line}: ${visibleText(problem.message)}`);
  }
  if (notes.staleBaselineEntries.length > 0) {
    lines.push(`stale baseline entries (their findings are gone; run \`ringlint baseline\` to drop them):`);
    for (const entry of notes.staleBaselineEntries) {
      lines.push(`  ${visiblePath(entry.file)}:${entry.line}: ${entry.ruleId} ${visibleText(entry.fingerprint)}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
