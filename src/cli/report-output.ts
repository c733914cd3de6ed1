/**
 * Rendering a report in each output format of scan and review. Each reporter is loaded on first
 * use: a run prints one format, and the command-line registration needs only the list of names.
 */
import type { ScanReport } from '../model/finding.js';
import type { RenderContext } from '../reporters/render-context.js';

export const OUTPUT_FORMATS = ['text', 'json', 'sarif', 'github', 'rdjson', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Formats with a place of their own for suppression problems and stale baseline entries. */
export const FORMATS_CARRYING_NOTES: ReadonlySet<OutputFormat> = new Set(['sarif', 'markdown']);

/**
 * Formats that show each finding's mechanical fix (text: under it, and how many --fix would fix):
 * only for them (or --fix) are fixes planned. Planning without rewriting is cheap (no parse).
 */
export const FORMATS_SHOWING_FIXES: ReadonlySet<OutputFormat> = new Set(['text', 'sarif', 'rdjson', 'markdown']);

type Reporter = (report: ScanReport, context: RenderContext) => string;

const REPORTERS: Readonly<Record<OutputFormat, () => Promise<Reporter>>> = {
  text: async () => (await import('../reporters/text-reporter.js')).formatTextReport,
  json: async () => (await import('../reporters/json-reporter.js')).formatJsonReport,
  sarif: async () => (await import('../reporters/sarif-reporter.js')).formatSarifReport,
  github: async () => (await import('../reporters/github-annotations.js')).formatGithubAnnotations,
  rdjson: async () => (await import('../reporters/rdjson-reporter.js')).formatRdjsonReport,
  markdown: async () => (await import('../reporters/markdown-reporter.js')).formatMarkdownReport,
};

export async function renderReport(report: ScanReport, format: OutputFormat, context: RenderContext): Promise<string> {
  return (await REPORTERS[format]())(report, context);
}
