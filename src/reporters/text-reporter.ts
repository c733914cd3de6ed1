import picocolors from 'picocolors';
import type { Finding, RelatedLocation, RuleId, ScanReport, Span } from '../model/finding.js';
import { fixPlace, type FixPlace } from '../model/fix-place.js';
import { ruleById } from '../rules/catalog.js';
import { codeFrame } from './code-frame.js';
import { plural } from './plural.js';
import type { RenderContext } from './render-context.js';
import { visiblePath, visibleText } from './terminal-text.js';

type Colors = ReturnType<typeof picocolors.createColors>;

/**
 * gcc-style diagnostics — `file:line:col: error: message [RL001]`, which VS Code's `$gcc` problem
 * matcher and editors' quickfix lists read — each with a code frame, `note:` lines that carry their
 * own location (and a frame where the fix goes), and `help:` lines (why, once per rule; the fix);
 * then a summary that says how many findings --fix would fix. Only the summary when clean. Names,
 * messages and source lines are shown as terminal-text.ts makes them visible.
 */
export function formatTextReport(report: ScanReport, options: RenderContext): string {
  const colors = picocolors.createColors(options.color);
  // Why a rule matters is said once, under its first finding: repeated, it buries the findings.
  const explained = new Set<RuleId>();
  const blocks = report.findings.map((finding) => {
    const why = !explained.has(finding.ruleId);
    explained.add(finding.ruleId);
    return formatFinding(finding, why, options, colors);
  });
  blocks.push(formatSummary(report, options.fixes, colors));
  return `${blocks.join('\n\n')}\n`;
}

function formatFinding(finding: Finding, why: boolean, options: RenderContext, colors: Colors): string {
  const paint = finding.severity === 'error' ? colors.red : colors.yellow;
  const lines = [
    `${colors.bold(`${visiblePath(finding.file)}:${finding.line}:${finding.column}:`)} ${paint(`${finding.severity}:`)} ` +
      `${colors.bold(visibleText(finding.message))} ${colors.dim(`[${finding.ruleId}]`)}`,
    ...frameLines(options.sourceLine(finding.file, finding.line), finding, paint, colors),
  ];
  const fix = fixPlace(finding);
  for (const related of finding.related) {
    lines.push(`${colors.bold(`${visiblePath(related.file)}:${related.line}:${related.column}:`)} ${colors.cyan('note:')} ${visibleText(related.message)}`);
    // Framed: the line where the fix goes (inside the macro or helper), and uses (review).
    if (related === fix?.note || related.kind === 'use') {
      lines.push(...frameLines(options.sourceLine(related.file, related.line), noteSpan(related, fix), colors.cyan, colors));
    }
  }
  if (why) lines.push(`  = ${colors.cyan('help:')} ${ruleById(finding.ruleId).why}`);
  const edit = options.fixes.get(finding);
  if (edit) {
    lines.push(`  = ${colors.cyan('help:')} --fix rewrites ${visiblePath(edit.file)}:${edit.startLine}:${edit.startColumn} to ${colors.green(visibleText(edit.replacement))}`);
  }
  return lines.join('\n');
}

/** The source line with the span marked under it; nothing when the scan has no text for the line. */
function frameLines(source: string | undefined, span: Span, paint: (text: string) => string, colors: Colors): string[] {
  if (source === undefined) return [];
  const frame = codeFrame(source, span.column, span.endLine, span.endColumn, span.line);
  const gutter = String(span.line);
  const blank = ' '.repeat(gutter.length);
  return [
    `${colors.dim(` ${gutter} |`)} ${frame.source}`,
    `${colors.dim(` ${blank} |`)} ${frame.markerIndent}${paint(`^${'~'.repeat(frame.markerWidth - 1)}`)}`,
  ];
}

/** The test's or the use's whole extent when it is known, else the note's column alone. */
function noteSpan(related: RelatedLocation, fix: FixPlace | undefined): Span {
  if (related === fix?.note && !fix.point) return fix;
  return { line: related.line, column: related.column, endLine: related.endLine ?? related.line, endColumn: related.endColumn ?? related.column + 1 };
}

/** The fixes are counted in the summary (and shown under their findings). */
function formatSummary(report: ScanReport, fixes: RenderContext['fixes'], colors: Colors): string {
  const scanned = plural(report.filesScanned, 'file');
  const errorCount = report.findings.filter((finding) => finding.severity === 'error').length;
  const warningCount = report.findings.length - errorCount;
  const fixable = report.findings.filter((finding) => fixes.has(finding)).length;
  const lines = [
    report.findings.length === 0
      ? colors.green(`no problems in ${scanned}`)
      : colors.bold(
          `${plural(report.findings.length, 'problem')} (${plural(errorCount, 'error')}, ${plural(warningCount, 'warning')}) ` +
            `in ${scanned} scanned${fixable > 0 ? `; ${fixable} fixable with --fix` : ''}`,
        ),
  ];
  if (report.errors.length > 0) {
    // "in full": a file with invalid UTF-8 was analysed, only with replacement characters.
    lines.push(colors.yellow(`${plural(new Set(report.errors.map((error) => error.file)).size, 'file')} could not be analysed in full:`));
    for (const error of report.errors) lines.push(`  ${visiblePath(error.file)}: ${visibleText(error.message)}`);
  }
  return lines.join('\n');
}
