/** Rendering a report in each output format of scan and review. */
import type { EditRegion } from '../fix/edit-region.js';
import type { Finding, ScanReport } from '../model/finding.js';
import { formatGithubAnnotations } from '../reporters/github-annotations.js';
import { formatJsonReport } from '../reporters/json-reporter.js';
import { formatMarkdownReport } from '../reporters/markdown-reporter.js';
import { formatRdjsonReport } from '../reporters/rdjson-reporter.js';
import type { ReportNotes } from '../reporters/report-notes.js';
import { formatSarifReport } from '../reporters/sarif-reporter.js';
import type { SourceLineLookup } from '../reporters/source-lines.js';
import { formatTextReport } from '../reporters/text-reporter.js';

export const OUTPUT_FORMATS = ['text', 'json', 'sarif', 'github', 'rdjson', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Formats with a place of their own for suppression problems and stale baseline entries. */
export const FORMATS_CARRYING_NOTES: ReadonlySet<OutputFormat> = new Set(['sarif', 'markdown']);

export interface RenderContext {
  cwd: string;
  color: boolean;
  sourceLine: SourceLineLookup;
  fingerprints: ReadonlyMap<Finding, string>;
  fixes: ReadonlyMap<Finding, EditRegion>;
  notes: ReportNotes;
  /** Heading words for Markdown, e.g. "new in this change". */
  scope?: string;
}

export function renderReport(report: ScanReport, format: OutputFormat, context: RenderContext): string {
  switch (format) {
    case 'json':
      return formatJsonReport(report);
    case 'sarif':
      return formatSarifReport(report, {
        cwd: context.cwd,
        fingerprints: context.fingerprints,
        fixes: context.fixes,
        suppressionProblems: context.notes.suppressionProblems,
      });
    case 'github':
      return formatGithubAnnotations(report);
    case 'rdjson':
      return formatRdjsonReport(report, { fixes: context.fixes });
    case 'markdown':
      return formatMarkdownReport(report, { fixes: context.fixes, notes: context.notes, ...(context.scope ? { scope: context.scope } : {}) });
    case 'text':
      return formatTextReport(report, { color: context.color, sourceLine: context.sourceLine });
  }
}
