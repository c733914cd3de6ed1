import { pathToFileURL } from 'node:url';
import { FINGERPRINT_VERSION } from '../baseline/fingerprint.js';
import { pathToBytes } from '../files/path-bytes.js';
import type { EditRegion } from '../fix/edit-region.js';
import type { Finding, RelatedLocation, ScanReport } from '../model/finding.js';
import { RULES, type RuleMeta } from '../rules/catalog.js';
import type { RenderContext } from './render-context.js';
import { REPOSITORY_URL, ruleDocMarkdown, ruleDocUrl } from './rule-help.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Result paths are relative to the scan's working directory, which SARIF consumers know as the source root. */
const SOURCE_ROOT = '%SRCROOT%';

/** A SARIF 2.1.0 log with one run; per-file errors become tool execution notifications. */
export function formatSarifReport(report: ScanReport, options: RenderContext): string {
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
            informationUri: REPOSITORY_URL,
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
                locations: [{ physicalLocation: physicalLocation(error.file) }],
              })),
              ...options.notes.suppressionProblems.map((problem) => ({
                level: 'warning',
                message: { text: problem.message },
                locations: [{ physicalLocation: physicalLocation(problem.file, { startLine: problem.line }) }],
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
    help: { text: `${rule.summary} Why: ${rule.why}. See ${ruleDocUrl(rule)}`, markdown: ruleDocMarkdown(rule) ?? `${rule.summary}\n\nWhy: ${rule.why}.` },
    defaultConfiguration: { level: rule.severity },
  };
}

function result(finding: Finding, options: RenderContext) {
  const fingerprint = options.fingerprints.get(finding);
  const fix = options.fixes.get(finding);
  return {
    ruleId: finding.ruleId,
    ruleIndex: RULES.findIndex((rule) => rule.id === finding.ruleId),
    level: finding.severity, // ringlint's severities are named as SARIF's levels
    message: { text: messageWithLinks(finding) },
    locations: [{ physicalLocation: physicalLocation(finding.file, region(finding)) }],
    relatedLocations: finding.related.map((related, index) => ({
      id: index + 1,
      message: { text: related.message },
      physicalLocation: physicalLocation(related.file, region(related)),
    })),
    // A finding at a changed definition (review) lists its uses: there is no single path to show.
    ...(finding.related.length > 0 && !finding.related.some((related) => related.kind === 'use') ? { codeFlows: [codeFlow(finding)] } : {}),
    ...(fingerprint !== undefined ? { partialFingerprints: { [FINGERPRINT_VERSION]: fingerprint } } : {}),
    ...(fix ? { fixes: [sarifFix(fix)] } : {}),
  };
}

/**
 * The headline with a link to each related location (SARIF §3.11.6 embedded links, `[text](id)`
 * with the related location's `id`): GitHub code scanning shows related locations only when the
 * message links them. Literal brackets are escaped, as links make them syntax.
 */
function messageWithLinks(finding: Finding): string {
  if (finding.related.length === 0) return escapeBrackets(finding.message);
  const links = finding.related.map((related, index) => {
    const text = related.kind === 'use' ? `${related.file}:${related.line}` : related.message;
    return `[${escapeBrackets(text)}](${index + 1})`;
  });
  return `${escapeBrackets(finding.message)} (see ${links.join(', ')})`;
}

function escapeBrackets(text: string): string {
  return text.replace(/[[\]]/g, (bracket) => `\\${bracket}`);
}

/** The status read first, then the macros and helpers it travels through, then the decision's site. */
function codeFlow(finding: Finding) {
  const isRead = (related: RelatedLocation): boolean => related.kind === 'read';
  const steps = [...finding.related.filter(isRead), ...finding.related.filter((related) => !isRead(related))];
  const location = (file: string, line: number, column: number, message: string) => ({
    location: {
      physicalLocation: physicalLocation(file, region({ line, column })),
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

/** A file under the source root, or a region of it. */
function physicalLocation(file: string, region?: object) {
  return { artifactLocation: artifactLocation(file), ...(region ? { region } : {}) };
}

/** Where a span starts, and where it ends when that is known. */
function region(span: { line: number; column: number; endLine?: number | undefined; endColumn?: number | undefined }) {
  const end = span.endLine !== undefined && span.endColumn !== undefined ? { endLine: span.endLine, endColumn: span.endColumn } : {};
  return { startLine: span.line, startColumn: span.column, ...end };
}

function artifactLocation(displayPath: string) {
  return { uri: relativeUri(displayPath), uriBaseId: SOURCE_ROOT };
}

/** What encodeURIComponent leaves as it is; '/' separates the path's segments. */
const URI_VERBATIM = /[A-Za-z0-9\-_.!~*'()/]/;

/**
 * The path's bytes percent-encoded, as encodeURIComponent encodes each segment's UTF-8: from the
 * bytes (files/path-bytes.ts), because a name that is not UTF-8 holds lone surrogates that
 * encodeURIComponent refuses ('URI malformed' ended the whole run; fuzzing found it).
 */
function relativeUri(displayPath: string): string {
  let uri = '';
  for (const byte of pathToBytes(displayPath)) {
    const char = String.fromCharCode(byte);
    uri += byte < 0x80 && URI_VERBATIM.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return uri;
}

function directoryUri(dir: string): string {
  const uri = pathToFileURL(dir).href;
  return uri.endsWith('/') ? uri : `${uri}/`;
}
