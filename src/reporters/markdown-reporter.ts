/** A Markdown summary for a pull-request comment: a table of findings, their notes and fixes, then side notes. */
import type { ScanReport } from '../model/finding.js';
import { ruleById } from '../rules/catalog.js';
import { markdownCode, markdownProse } from './markdown-text.js';
import { plural } from './plural.js';
import type { RenderContext } from './render-context.js';
import { ruleDocUrl } from './rule-help.js';

export function formatMarkdownReport(report: ScanReport, options: RenderContext): string {
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
          `${markdownCode(`${finding.file}:${finding.line}`, 'table')} | ${markdownProse(finding.message, 'table')} |`,
      );
    }
    const detailed = report.findings.filter((finding) => finding.related.length > 0 || options.fixes.has(finding));
    if (detailed.length > 0) {
      out.push('', '<details><summary>Where the decisions go, and fixes</summary>', '');
      for (const finding of detailed) {
        out.push(`- **${finding.ruleId}** ${place(finding.file, finding.line)}`);
        for (const related of finding.related) out.push(`  - ${place(related.file, related.line)}: ${prose(related.message)}`);
        const fix = options.fixes.get(finding);
        if (fix) out.push(`  - fix in ${place(fix.file, fix.startLine)}: ${prose(fix.description)} (\`ringlint scan --fix\`)`);
      }
      out.push('', '</details>');
    }
  }
  const { notes } = options;
  if (notes.suppressionProblems.length > 0) {
    out.push('', '**Suppression problems**', '');
    for (const problem of notes.suppressionProblems) out.push(`- ${place(problem.file, problem.line)}: ${prose(problem.message)}`);
  }
  if (notes.staleBaselineEntries.length > 0) {
    out.push('', `**${plural(notes.staleBaselineEntries.length, 'stale baseline entry', 'stale baseline entries')}** (their findings are gone)`, '');
    for (const entry of notes.staleBaselineEntries) out.push(`- ${place(entry.file, entry.line)} ${prose(entry.ruleId)}`);
  }
  if (report.errors.length > 0) {
    out.push('', `**${plural(report.errors.length, 'file')} could not be analysed in full**`, '');
    for (const error of report.errors) out.push(`- ${markdownCode(error.file, 'text')}: ${prose(error.message)}`);
  }
  return `${out.join('\n')}\n`;
}

/** `file:line` as code, in a list item. */
function place(file: string, line: number): string {
  return markdownCode(`${file}:${line}`, 'text');
}

function prose(text: string): string {
  return markdownProse(text, 'text');
}
