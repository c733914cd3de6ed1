/**
 * What a scan or review run prints: the report (to standard output, to --output, or to standard error
 * beside --fix-dry-run's diff) with its side notes, the fixes that could not be written, and the exit
 * status with the reason when the findings alone do not give it. Each reporter loads on first use.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fsErrorReason } from '../files/fs-error-reason.js';
import type { ScanReport } from '../model/finding.js';
import { formatNotesText } from '../reporters/report-notes.js';
import { sourceLineLookup } from '../reporters/source-lines.js';
import { visiblePath, visibleText } from '../reporters/terminal-text.js';
import { colorEnabled } from './color-support.js';
import { lintExitStatus } from './exit-status.js';
import type { LintRound, RoundSpec } from './lint-round.js';
import { renderReport } from './report-output.js';

/** `roots`: the paths the run was given, for the exit status's reason when there was nothing under them. */
export interface RunEnd extends Pick<RoundSpec, 'cwd' | 'options' | 'roots'> {
  /** The run's last round, its --fix-dry-run diff and the fixes that could not be applied or written (lint-round.ts). */
  round: LintRound;
  /** What is reported, when not the round's shown findings with the scan's errors (review shows errors by working-tree paths). */
  report?: ScanReport;
  /** Whether the rendered report itself carries the notes (otherwise they go to standard error). */
  notesInReport: boolean;
  scope?: string;
  /** Replaces the rendered report (review's JSON adds its own section). */
  render?: (rendered: string) => string;
}

/**
 * Ends a scan or review run: the fixes that could not be applied or written (said on standard error,
 * the report stays as it is), the report and its notes, then the exit status with the reason when
 * the findings alone do not give it (nothing analysed, too many warnings).
 */
export async function finishRun(spec: RunEnd): Promise<void> {
  const { round } = spec;
  const { diff } = round;
  for (const error of round.fixErrors) process.stderr.write(`ringlint: ${visiblePath(error.file)}: ${visibleText(error.message)}\n`);
  const report = spec.report ?? { ...round.scan.report, findings: round.shown };
  // Where the report is printed without --output: with --fix-dry-run the diff takes standard output
  // and a text report goes to standard error (command-options.ts turns away other formats without --output).
  const stream = diff === undefined ? process.stdout : process.stderr;
  const context = {
    cwd: spec.cwd,
    color: spec.options.output === undefined && colorEnabled(stream, process.env),
    sourceLine: sourceLineLookup(round.scan.sourceTexts),
    fingerprints: round.policy.fingerprints,
    fixes: round.fixes,
    notes: round.policy,
    ...(spec.scope ? { scope: spec.scope } : {}),
  };
  const rendered = await renderReport(report, spec.options.format, context);
  const shown = spec.render ? spec.render(rendered) : rendered;
  if (diff !== undefined) process.stdout.write(diff);
  if (spec.options.output !== undefined) await writeReportFile(resolve(spec.cwd, spec.options.output), shown);
  else stream.write(shown);
  if (!spec.notesInReport) process.stderr.write(formatNotesText(round.policy).replace(/^(?=\S)/gm, 'ringlint: '));
  const status = lintExitStatus(report, spec.roots, spec.options.maxWarnings);
  if (status.reason !== undefined) process.stderr.write(`ringlint: ${visibleText(status.reason)}\n`);
  process.exitCode = status.code;
}

/** --output: a report that cannot be written is a tool error (exit 2) that says why (a full disk). */
async function writeReportFile(path: string, report: string): Promise<void> {
  try {
    await writeFile(path, report);
  } catch (error) {
    throw new Error(`cannot write the report to ${path}: ${fsErrorReason(error)}`);
  }
}
