/** reviewdog's Diagnostic Format (rdjson), for `reviewdog -f=rdjson`; columns are 1-based UTF-8 bytes, as ringlint reports them. */
import type { EditRegion } from '../fix/edit-region.js';
import type { Finding, ScanReport } from '../model/finding.js';
import { ruleById } from '../rules/catalog.js';
import { ruleDocUrl } from './rule-help.js';

export interface RdjsonOptions {
  fixes?: ReadonlyMap<Finding, EditRegion>;
}

export function formatRdjsonReport(report: ScanReport, options: RdjsonOptions = {}): string {
  const result = {
    source: { name: 'ringlint', url: 'https://github.com/ringlint/ringlint' },
    diagnostics: report.findings.map((finding) => {
      const rule = ruleById(finding.ruleId);
      const fix = options.fixes?.get(finding);
      return {
        message: finding.message,
        location: {
          path: finding.file,
          range: {
            start: { line: finding.line, column: finding.column },
            end: { line: finding.endLine, column: finding.endColumn },
          },
        },
        severity: finding.severity === 'error' ? 'ERROR' : 'WARNING',
        code: { value: rule.id, url: ruleDocUrl(rule) },
        ...(fix && fix.file === finding.file
          ? {
              suggestions: [
                {
                  range: {
                    start: { line: fix.startLine, column: fix.startByteColumn },
                    end: { line: fix.endLine, column: fix.endByteColumn },
                  },
                  text: fix.replacement,
                },
              ],
            }
          : {}),
        related_locations: finding.related.map((related) => ({
          message: related.message,
          location: { path: related.file, range: { start: { line: related.line, column: related.column } } },
        })),
      };
    }),
  };
  return `${JSON.stringify(result, null, 2)}\n`;
}
