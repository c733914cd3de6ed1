/**
 * What a scan or review run prints: the report (to standard output, to --output, or to standard error
 * beside --fix-dry-run's diff) with its side notes, the fixes that could not be written, and the exit
 * status with the reason when the findings alone do not give it. Each reporter loads on first use.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fsErrorReason } from '../files/fs-error-reason.js';
import type { FileError, ScanReport } from '../model/finding.js';
import { formatNotesText, type ReportNotes } from '../reporters/report-notes.js';
import { sourceLineLookup } from '../reporters/source-lines.js';
import { visiblePath, visibleText } from '../reporters/terminal-text.js';
import { colorEnabled } from './color-support.js';
import { lintExitStatus } from './exit-status.js';
import type { LintCliOptions } from './lint-options.js';
import type { LintRound } from './lint-round.js';
import { renderReport } from './report-output.js';

export interface PrintSpec {
  cwd: string;
  options: LintCliOptions;
  round: LintRound;
  report: ScanReport;
  notes: ReportNotes;
  /** Whether the rendered report itself carries the notes (otherwise they go to standard error). */
  notesInReport: boolean;
  scope?: string;
  /** Replaces the rendered report (review's JSON adds its own section). */
  render?: (rendered: string) => string;
  diff: string | undefined;
}

export async function printReport(spec: PrintSpec): Promise<void> {
  const toStdout = spec.options.output === undefined && spec.diff === undefined;
  // With --fix-dry-run the diff takes standard output and a text report goes to standard error
  // (command-options.ts turns away other formats without --output).
  const toStderr = spec.options.output === undefined && spec.diff !== undefined;
  const context = {
    cwd: spec.cwd,
    color: (toStdout && colorEnabled(process.stdout, process.env)) || (toStderr && colorEnabled(process.stderr, process.env)),
    sourceLine: sourceLineLookup(spec.round.scan.sourceTexts),
    fingerprints: spec.round.policy.fingerprints,
    fixes: spec.round.fixes,
    notes: spec.notes,
    ...(spec.scope ? { scope: spec.scope } : {}),
  };
  const report = await renderReport(spec.report, spec.options.format, context);
  const rendered = spec.render ? spec.render(report) : report;
  if (spec.diff !== undefined) process.stdout.write(spec.diff);
  if (spec.options.output !== undefined) await writeReportFile(resolve(spec.cwd, spec.options.output), rendered);
  else (toStderr ? process.stderr : process.stdout).write(rendered);
  if (!spec.notesInReport) process.stderr.write(formatNotesText(spec.notes).replace(/^(?=\S)/gm, 'ringlint: '));
}

/** --output: a report that cannot be written is a tool error (exit 2) that says why (a full disk). */
async function writeReportFile(path: string, report: string): Promise<void> {
  try {
    await writeFile(path, report);
  } catch (error) {
    throw new Error(`cannot write the report to ${path}: ${fsErrorReason(error)}`);
  }
}

/**
 * Sets the exit code of a run that reported `report`, and says on standard error why when the
 * findings alone do not (nothing analysed, too many warnings).
 */
export function concludeRun(report: ScanReport, options: LintCliOptions, roots: readonly string[]): void {
  const status = lintExitStatus(report, { roots, ...(options.maxWarnings === undefined ? {} : { maxWarnings: options.maxWarnings }) });
  if (status.reason !== undefined) process.stderr.write(`ringlint: ${visibleText(status.reason)}\n`);
  process.exitCode = status.code;
}

/** Fixes that could not be applied or written: said on standard error, the report stays as it is. */
export function reportFixErrors(errors: readonly FileError[]): void {
  for (const error of errors) process.stderr.write(`ringlint: ${visiblePath(error.file)}: ${visibleText(error.message)}\n`);
}
