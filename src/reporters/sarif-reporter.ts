import { pathToFileURL } from 'node:url';
import type { Finding, ScanReport, Severity } from '../model/finding.js';
import { RULES, type RuleMeta } from '../rules/catalog.js';
import { ruleDocMarkdown, ruleDocUrl } from './rule-help.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/ringlint/ringlint';
/** Result paths are relative to the scan's working directory, which SARIF consumers know as the source root. */
const SOURCE_ROOT = '%SRCROOT%';

export interface SarifReportOptions {
  /** The directory display paths are relative to. */
  cwd: string;
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
        results: report.findings.map(result),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.errors.map((error) => ({
              level: 'warning',
              message: { text: error.message },
              locations: [{ physicalLocation: { artifactLocation: artifactLocation(error.file) } }],
            })),
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

function result(finding: Finding) {
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
