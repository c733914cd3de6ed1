import { ruleAndPlace, type ScanReport } from '../model/finding.js';

/**
 * The JSON contract (README.md, `ringlint scan`), key for key. Objects are rebuilt rather than serialised as
 * they come, so fields the analyzer keeps for itself never leak into a public format.
 */
export function formatJsonReport(report: ScanReport): string {
  const contract = {
    version: report.version,
    findings: report.findings.map((finding) => ({
      ...ruleAndPlace(finding),
      endColumn: finding.endColumn,
      message: finding.message,
      related: finding.related.map(({ file, line, column, message }) => ({ file, line, column, message })),
    })),
    filesScanned: report.filesScanned,
    // Accounting for large scans (issue #6): what the prefilter let through, and how long it took.
    filesParsed: report.filesParsed,
    elapsedMs: report.elapsedMs,
    errors: report.errors.map((error) => ({ file: error.file, message: error.message })),
  };
  return `${JSON.stringify(contract, null, 2)}\n`;
}
