/** A Markdown summary for a pull-request comment: a table of findings, their notes and fixes, then side notes. */
import type { EditRegion } from '../fix/edit-region.js';
import type { Finding, ScanReport } from '../model/finding.js';
import { ruleById } from '../rules/catalog.js';
import type { ReportNotes } from './report-notes.js';
import { ruleDocUrl } from './rule-help.js';

export interface MarkdownOptions {
  /** e.g. "new in this change"; shown in the heading. */
  scope?: string;
  fixes?: ReadonlyMap<Finding, EditRegion>;
  notes?: ReportNotes;
}

export function formatMarkdownReport(report: ScanReport, options: MarkdownOptions = {}): string {
  const errors = report.findings.filter((finding) => finding.severity === 'error').length;
  const warnings = report.findings.length - errors;
  const scope = options.scope ? ` ${options.scope}` : '';
  const out: string[] = [];
  if (report.findings.length === 0) {
    out.push(`### ringlint: no problems${scope}`, '', `${plural(report.filesScanned, 'file')} scanned.`);
  } else {
    out.push(`### ringlint: ${plural(report.findings.length, 'problem')}${scope} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`, '');
    out.push('| | Rule | Location | Problem |', '| --- | --- | --- | --- |');
    for (const finding of report.findings) {
      const rule = ruleById(finding.ruleId);
      out.push(
        `| ${finding.severity === 'error' ? ':x:' : ':warning:'} | [${rule.id} ${rule.name}](${ruleDocUrl(rule)}) | ` +
          `\`${cell(finding.file)}:${finding.line}\` | ${cell(finding.message)} |`,
      );
    }
    const detailed = report.findings.filter((finding) => finding.related.length > 0 || options.fixes?.has(finding));
    if (detailed.length > 0) {
      out.push('', '<details><summary>Where the decisions go, and fixes</summary>', '');
      for (const finding of detailed) {
        out.push(`- **${finding.ruleId}** \`${finding.file}:${finding.line}\``);
        for (const related of finding.related) out.push(`  - \`${related.file}:${related.line}\`: ${inline(related.message)}`);
        const fix = options.fixes?.get(finding);
        if (fix) out.push(`  - fix in \`${fix.file}:${fix.startLine}\`: ${inline(fix.description)} (\`ringlint scan --fix\`)`);
      }
      out.push('', '</details>');
    }
  }
  const notes = options.notes;
  if (notes && notes.suppressionProblems.length > 0) {
    out.push('', '**Suppression problems**', '');
    for (const problem of notes.suppressionProblems) out.push(`- \`${problem.file}:${problem.line}\`: ${inline(problem.message)}`);
  }
  if (notes && notes.staleBaselineEntries.length > 0) {
    out.push('', `**${plural(notes.staleBaselineEntries.length, 'stale baseline entry', 'stale baseline entries')}** (their findings are gone)`, '');
    for (const entry of notes.staleBaselineEntries) out.push(`- \`${entry.file}:${entry.line}\` ${entry.ruleId}`);
  }
  if (report.errors.length > 0) {
    out.push('', `**${plural(report.errors.length, 'file')} could not be analysed in full**`, '');
    for (const error of report.errors) out.push(`- \`${error.file}\`: ${inline(error.message)}`);
  }
  return `${out.join('\n')}\n`;
}

function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

/** Table cells end at `|` and line breaks. */
function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}

function inline(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}
