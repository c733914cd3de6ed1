/**
 * reviewdog's Diagnostic Format (rdjson), for `reviewdog -f=rdjson`. Its columns are 1-based UTF-8
 * byte offsets, where ringlint's findings count UTF-16 code units (as JavaScript strings and SARIF's
 * `utf16CodeUnits` do): they differ on any line with a non-ASCII character before the column, so
 * each is converted from the line's text. A file that could not be analysed in full is a WARNING
 * on the file (no range: rdjson's file-level diagnostic), so that reviewdog shows it.
 */
import type { ScanReport } from '../model/finding.js';
import { ruleById } from '../rules/catalog.js';
import { NOT_ANALYSED_IN_FULL } from './report-notes.js';
import { REPOSITORY_URL, ruleDocUrl } from './rule-help.js';
import type { RenderContext } from './render-context.js';

export function formatRdjsonReport(report: ScanReport, options: RenderContext): string {
  const position = (file: string, line: number, column: number) => ({ line, column: byteColumn(options.sourceLine(file, line), column) });
  const range = (file: string, line: number, column: number, endLine: number, endColumn: number) => ({ start: position(file, line, column), end: position(file, endLine, endColumn) });
  const findings = report.findings.map((finding) => {
    const rule = ruleById(finding.ruleId);
    const fix = options.fixes.get(finding);
    return {
      message: finding.message,
      location: {
        path: finding.file,
        range: range(finding.file, finding.line, finding.column, finding.endLine, finding.endColumn),
      },
      severity: finding.severity === 'error' ? 'ERROR' : 'WARNING',
      code: { value: rule.id, url: ruleDocUrl(rule) },
      ...(fix && fix.file === finding.file
        ? {
            suggestions: [
              {
                range: range(fix.file, fix.startLine, fix.startColumn, fix.endLine, fix.endColumn),
                text: fix.replacement,
              },
            ],
          }
        : {}),
      related_locations: finding.related.map((related) => ({
        message: related.message,
        location: { path: related.file, range: { start: position(related.file, related.line, related.column) } },
      })),
    };
  });
  const unanalysed = report.errors.map((error) => ({ message: `${NOT_ANALYSED_IN_FULL}: ${error.message}`, location: { path: error.file }, severity: 'WARNING' }));
  const result = { source: { name: 'ringlint', url: REPOSITORY_URL }, diagnostics: [...findings, ...unanalysed] };
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** The 1-based UTF-8 byte column of the 1-based UTF-16 `column` in `lineText`. */
function byteColumn(lineText: string | undefined, column: number): number {
  return lineText === undefined ? column : Buffer.byteLength(lineText.slice(0, column - 1), 'utf8') + 1;
}
