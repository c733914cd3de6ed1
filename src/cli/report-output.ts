/**
 * Rendering a report in each output format of scan and review. Each reporter is loaded on first
 * use: a run prints one format, and the command-line registration needs only the list of names.
 */
import type { EditRegion } from '../fix/edit-region.js';
import type { Finding, ScanReport } from '../model/finding.js';
import type { ReportNotes } from '../reporters/report-notes.js';
import type { SourceLineLookup } from '../reporters/source-lines.js';

export const OUTPUT_FORMATS = ['text', 'json', 'sarif', 'github', 'rdjson', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Formats with a place of their own for suppression problems and stale baseline entries. */
export const FORMATS_CARRYING_NOTES: ReadonlySet<OutputFormat> = new Set(['sarif', 'markdown']);

/**
 * Formats that show each finding's mechanical fix (text: under it, and how many --fix would fix):
 * only for them (or --fix) are fixes planned. Planning without rewriting is cheap (no parse).
 */
export const FORMATS_SHOWING_FIXES: ReadonlySet<OutputFormat> = new Set(['text', 'sarif', 'rdjson', 'markdown']);

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

export async function renderReport(report: ScanReport, format: OutputFormat, context: RenderContext): Promise<string> {
  switch (format) {
    case 'json': {
      const { formatJsonReport } = await import('../reporters/json-reporter.js');
      return formatJsonReport(report);
    }
    case 'sarif': {
      const { formatSarifReport } = await import('../reporters/sarif-reporter.js');
      return formatSarifReport(report, {
        cwd: context.cwd,
        fingerprints: context.fingerprints,
        fixes: context.fixes,
        suppressionProblems: context.notes.suppressionProblems,
      });
    }
    case 'github': {
      const { formatGithubAnnotations } = await import('../reporters/github-annotations.js');
      return formatGithubAnnotations(report);
    }
    case 'rdjson': {
      const { formatRdjsonReport } = await import('../reporters/rdjson-reporter.js');
      return formatRdjsonReport(report, { fixes: context.fixes, sourceLine: context.sourceLine });
    }
    case 'markdown': {
      const { formatMarkdownReport } = await import('../reporters/markdown-reporter.js');
      return formatMarkdownReport(report, { fixes: context.fixes, notes: context.notes, ...(context.scope ? { scope: context.scope } : {}) });
    }
    case 'text': {
      const { formatTextReport } = await import('../reporters/text-reporter.js');
      return formatTextReport(report, { color: context.color, sourceLine: context.sourceLine, fixes: context.fixes });
    }
  }
}
