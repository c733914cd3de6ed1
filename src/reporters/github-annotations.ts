/**
 * GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff,
 * and each file that could not be analysed in full a warning on the file. File paths must be
 * relative to the repository root, so run ringlint from there.
 */
import type { ScanReport } from '../model/finding.js';
import { ruleById } from '../rules/catalog.js';
import { NOT_ANALYSED_IN_FULL } from './report-notes.js';

export function formatGithubAnnotations(report: ScanReport): string {
  const lines = report.findings.map((finding) => {
    const rule = ruleById(finding.ruleId);
    const notes = finding.related.map((related) => `\nnote: ${related.file}:${related.line}:${related.column}: ${related.message}`);
    const properties = [
      `file=${escapeProperty(finding.file)}`,
      `line=${finding.line}`,
      `col=${finding.column}`,
      `endLine=${finding.endLine}`,
      `endColumn=${finding.endColumn}`,
      `title=${escapeProperty(`${rule.id} ${rule.name}`)}`,
    ].join(',');
    return `::${finding.severity === 'error' ? 'error' : 'warning'} ${properties}::${escapeData(finding.message + notes.join(''))}`;
  });
  for (const error of report.errors) {
    lines.push(`::warning file=${escapeProperty(error.file)},title=${escapeProperty(NOT_ANALYSED_IN_FULL)}::${escapeData(error.message)}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/**
 * The escaping of the runner's own toolkit (`@actions/core`'s command.ts: `%`, CR and LF), so that
 * a command stays one line whatever a file name or message holds, and the other C0 and C1 controls
 * too, which the runner leaves as they are (shown as `%1B`, never reaching a terminal that shows the log).
 */
function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/[\u0000-\u001f\u007f-\u009f]/g, (control) => `%${control.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Properties end at `,` and the data at `::`: both escaped as the toolkit does. */
function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
