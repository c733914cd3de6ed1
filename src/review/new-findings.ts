import type { Finding } from '../model/finding.js';
import type { ChangedLines } from './changed-lines.js';

/**
 * Whether the change introduced a finding: its test sits on a changed line, or one of the places it
 * goes through (a macro or helper definition, the decision inside it, the status read) does. The
 * first catches new uses of old macros; the second old uses of macros or helpers made unsafe now.
 */
export function isIntroducedBy(finding: Finding, changed: ChangedLines): boolean {
  for (let line = finding.line; line <= finding.endLine; line++) if (changed.isChanged(finding.file, line)) return true;
  return finding.related.some((related) => changed.isChanged(related.file, related.line));
}
