import { pathToFileURL } from 'node:url';
import { FINGERPRINT_VERSION } from '../baseline/fingerprint.js';
import type { EditRegion } from '../fix/edit-region.js';
import type { Finding, RelatedLocation, ScanReport, Severity } from '../model/finding.js';
import type { SuppressionProblem } from '../suppressions/inline-suppressions.js';
import { RULES, type RuleMeta } from '../rules/catalog.js';
import { ruleDocMarkdown, ruleDocUrl } from './rule-help.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/ringlint/ringlint';
/** Result paths are relative to the scan's working directory, which SARIF consumers know as the source root. */
const SOURCE_ROOT = '%SRCROOT%';

export interface SarifReportOptions {
  /** The directory display paths are relative to. */
  cwd: string;
  /** Baseline fingerprints, as `partialFingerprints` so code scanning tracks results across commits. */
  fingerprints?: ReadonlyMap<Finding, string>;
  /** Mechanical fixes, as SARIF `fixes`. */
  fixes?: ReadonlyMap<Finding, EditRegion>;
  /** Problems with suppression comments, as tool notifications at the comment. */
  suppressionProblems?: readonly SuppressionProblem[];
}

/** A SARIF 2.1.0 log with one run; per-file errors become tool execution notifications. */
export function formatSarifReport(report: ScanReport, options: SarifReportOptions): string {
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ringlint',
            version: report.version,
            semanticVersion: report.version,
            informationUri: INFORMATION_URI,
            rules: RULES.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: directoryUri(options.cwd) } },
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((finding) => result(finding, options)),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              ...report.errors.map((error) => ({
                level: 'warning',
                message: { text: error.message },
                locations: [{ physicalLocation: { artifactLocation: artifactLocation(error.file) } }],
              })),
              ...(options.suppressionProblems ?? []).map((problem) => ({
                level: 'warning',
                message: { text: problem.message },
                locations: [
                  { physicalLocation: { artifactLocation: artifactLocation(problem.file), region: { startLine: problem.line } } },
                ],
              })),
            ],
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function ruleDescriptor(rule: RuleMeta) {
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: `${rule.id} ${rule.name}` },
    fullDescription: { text: rule.summary },
    helpUri: ruleDocUrl(rule),
    help: { text: `${rule.summary} See ${ruleDocUrl(rule)}`, markdown: ruleDocMarkdown(rule) ?? rule.summary },
    defaultConfiguration: { level: level(rule.severity) },
  };
}

function result(finding: Finding, options: SarifReportOptions) {
  const fingerprint = options.fingerprints?.get(finding);
  const fix = options.fixes?.get(finding);
  return {
    ruleId: finding.ruleId,
    ruleIndex: RULES.findIndex((rule) => rule.id === finding.ruleId),
    level: level(finding.severity),
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(finding.file),
          region: {
            startLine: finding.line,
            startColumn: finding.column,
            endLine: finding.endLine,
            endColumn: finding.endColumn,
          },
        },
      },
    ],
    relatedLocations: finding.related.map((related, index) => ({
      id: index + 1,
      message: { text: related.message },
      physicalLocation: {
        artifactLocation: artifactLocation(related.file),
        region: { startLine: related.line, startColumn: related.column },
      },
    })),
    ...(finding.related.length > 0 ? { codeFlows: [codeFlow(finding)] } : {}),
    ...(fingerprint !== undefined ? { partialFingerprints: { [FINGERPRINT_VERSION]: fingerprint } } : {}),
    ...(fix ? { fixes: [sarifFix(fix)] } : {}),
  };
}

/** The status read first, then the macros and helpers it travels through, then the decision's site. */
function codeFlow(finding: Finding) {
  const isRead = (related: RelatedLocation): boolean => / read$|^the status value /.test(related.message);
  const steps = [...finding.related.filter(isRead), ...finding.related.filter((related) => !isRead(related))];
  const location = (file: string, line: number, column: number, message: string) => ({
    location: {
      physicalLocation: { artifactLocation: artifactLocation(file), region: { startLine: line, startColumn: column } },
      message: { text: message },
    },
  });
  return {
    message: { text: 'from the status read to the ownership decision' },
    threadFlows: [
      {
        locations: [
          ...steps.map((step) => location(step.file, step.line, step.column, step.message)),
          location(finding.file, finding.line, finding.column, 'the ownership decision is used here'),
        ],
      },
    ],
  };
}

function sarifFix(fix: EditRegion) {
  return {
    description: { text: fix.description },
    artifactChanges: [
      {
        artifactLocation: artifactLocation(fix.file),
        replacements: [
          {
            deletedRegion: { startLine: fix.startLine, startColumn: fix.startColumn, endLine: fix.endLine, endColumn: fix.endColumn },
            insertedContent: { text: fix.replacement },
          },
        ],
      },
    ],
  };
}

function level(severity: Severity): 'error' | 'warning' {
  return severity;
}

function artifactLocation(displayPath: string) {
  return { uri: displayPath.split('/').map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
}

function directoryUri(dir: string): string {
  const uri = pathToFileURL(dir).href;
  return uri.endsWith('/') ? uri : `${uri}/`;
}
