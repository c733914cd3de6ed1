/**
 * GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff.
 * File paths must be relative to the repository root, so run ringlint from there.
 */
import type { ScanReport } from '../model/finding.js';
import { ruleById } from '../rules/catalog.js';

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
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** The escaping of the runner's own toolkit (`@actions/core`'s command.ts). */
function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
