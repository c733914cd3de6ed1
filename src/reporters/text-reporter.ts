import picocolors from 'picocolors';
import type { FileError, Finding, ScanReport } from '../model/finding.js';
import { ruleById } from '../rules/catalog.js';
import { codeFrame } from './code-frame.js';
import type { SourceLineLookup } from './source-lines.js';

export interface TextReportOptions {
  color: boolean;
  sourceLine: SourceLineLookup;
}

type Colors = ReturnType<typeof picocolors.createColors>;

/** Compiler-style diagnostics with code frames, then a summary; only the summary when clean. */
export function formatTextReport(report: ScanReport, options: TextReportOptions): string {
  const colors = picocolors.createColors(options.color);
  const blocks = report.findings.map((finding) => formatFinding(finding, options.sourceLine, colors));
  blocks.push(formatSummary(report, colors));
  return `${blocks.join('\n\n')}\n`;
}

function formatFinding(finding: Finding, sourceLine: SourceLineLookup, colors: Colors): string {
  const paint = finding.severity === 'error' ? colors.red : colors.yellow;
  const lines = [
    `${colors.bold(`${finding.file}:${finding.line}:${finding.column}:`)} ${paint(finding.severity)} ` +
      `${colors.dim(`${finding.ruleId} ${ruleById(finding.ruleId).name}`)}: ${finding.message}`,
  ];
  const source = sourceLine(finding.file, finding.line);
  if (source !== undefined) {
    const frame = codeFrame(source, finding.column, finding.endLine, finding.endColumn, finding.line);
    const gutter = String(finding.line);
    const blank = ' '.repeat(gutter.length);
    lines.push(`${colors.dim(` ${gutter} |`)} ${frame.source}`);
    lines.push(`${colors.dim(` ${blank} |`)} ${frame.markerIndent}${paint(`^${'~'.repeat(frame.markerWidth - 1)}`)}`);
  }
  for (const related of finding.related) {
    lines.push(`  ${colors.cyan('note:')} ${related.file}:${related.line}:${related.column}: ${related.message}`);
  }
  return lines.join('\n');
}

function formatSummary(report: ScanReport, colors: Colors): string {
  const scanned = count(report.filesScanned, 'file');
  const errorCount = report.findings.filter((finding) => finding.severity === 'error').length;
  const warningCount = report.findings.length - errorCount;
  const lines = [
    report.findings.length === 0
      ? colors.green(`no problems in ${scanned}`)
      : colors.bold(
          `${count(report.findings.length, 'problem')} (${count(errorCount, 'error')}, ${count(warningCount, 'warning')}) ` +
            `in ${scanned} scanned`,
        ),
  ];
  if (report.errors.length > 0) {
    // "in full": a file with invalid UTF-8 was analysed, only with replacement characters.
    lines.push(colors.yellow(`${count(distinctFiles(report.errors), 'file')} could not be analysed in full:`));
    for (const error of report.errors) lines.push(`  ${error.file}: ${error.message}`);
  }
  return lines.join('\n');
}

function distinctFiles(errors: readonly FileError[]): number {
  return new Set(errors.map((error) => error.file)).size;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
