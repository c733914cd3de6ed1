/**
 * What scan and review share: loading the config and baseline, one analysis round (scan, policy,
 * severity threshold, fixes), fixing, and printing. Loaded when scan or review runs (their options
 * are declared in lint-options.ts); the fix machinery and each reporter load only when used.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { configuredBaselinePath, readBaseline, type Baseline } from '../baseline/baseline-file.js';
import { defaultCacheDirectory } from '../cache/scan-cache.js';
import { loadConfig, type LoadedConfig } from '../config/config-file.js';
import { fsErrorReason } from '../files/fs-error-reason.js';
import type { FileError, Finding, ScanReport, Severity } from '../model/finding.js';
import { applyFindingPolicy, type PolicyOutcome } from '../policy/finding-policy.js';
import { formatNotesText, type ReportNotes } from '../reporters/report-notes.js';
import { sourceLineLookup } from '../reporters/source-lines.js';
import { visiblePath, visibleText } from '../reporters/terminal-text.js';
import { scanSources, type Prestart, type ScanResult } from '../scan/run-scan.js';
import { colorEnabled } from './color-support.js';
import { lintExitStatus } from './exit-status.js';
import type { LintCliOptions } from './lint-options.js';
import { ProgressDisplay } from './progress-display.js';
import { FORMATS_SHOWING_FIXES, renderReport } from './report-output.js';
import type { RoundFixes } from './round-fixes.js';

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { warning: 0, error: 1 };

export interface PolicyInputs {
  config: LoadedConfig | undefined;
  baseline: Baseline | undefined;
  /** Said on standard error before the report (made visible: they name files), e.g. a config-named baseline that does not exist yet. */
  warnings: string[];
}

/** The config (explicit, else the first found in `configDirectories`) and the baseline it or the options name. */
export async function loadPolicyInputs(options: LintCliOptions, cwd: string, configDirectories: readonly string[]): Promise<PolicyInputs> {
  const explicitConfig = options.config === undefined ? undefined : resolve(cwd, options.config);
  const config = await loadConfig(explicitConfig, configDirectories);
  const warnings: string[] = [];
  let baseline: Baseline | undefined;
  const configured = config ? configuredBaselinePath(config) : undefined;
  if (options.baseline !== undefined) {
    baseline = await readBaseline(resolve(cwd, options.baseline));
  } else if (config && configured !== undefined) {
    if (existsSync(configured)) baseline = await readBaseline(configured);
    else warnings.push(`the baseline ${configured} named in ${config.path} does not exist; nothing is hidden`);
  }
  return { config, baseline, warnings };
}

/** Its fixes are empty when nothing shows or applies them (see `fixesFor`). */
export interface LintRound extends RoundFixes {
  scan: ScanResult;
  policy: PolicyOutcome;
  /** What is reported: after policy, the command's selection (review: new only) and the threshold. */
  shown: Finding[];
}

export interface RoundSpec {
  paths: string[];
  cwd: string;
  options: LintCliOptions;
  inputs: PolicyInputs;
  /** Roots that fixes must stay inside. */
  roots: string[];
  /** Narrows the policy's findings (review keeps those the change introduces). */
  select?: (findings: Finding[], scan: ScanResult) => Promise<Finding[]>;
  /** Started for this command line before the CLI loaded; each piece is used at most once. */
  prestart?: Prestart;
}

export async function lintRound(spec: RoundSpec): Promise<LintRound> {
  const progress = spec.options.quiet ? undefined : ProgressDisplay.forStream(process.stderr);
  let scan: ScanResult;
  try {
    scan = await scanSources({
      paths: spec.paths,
      cwd: spec.cwd,
      maxFileSize: spec.options.maxFileSize,
      noPrefilter: !spec.options.prefilter,
      noIgnore: !spec.options.ignore,
      ...(spec.options.cache ? { cacheDirectory: defaultCacheDirectory() } : {}),
      ...(progress ? { onProgress: progress.update } : {}),
      ...(spec.prestart ? { prestart: spec.prestart } : {}),
    });
  } finally {
    progress?.clear();
  }
  const policy = applyFindingPolicy(scan.report.findings, scan.sourceTexts, {
    cwd: spec.cwd,
    ...(spec.inputs.config ? { config: spec.inputs.config } : {}),
    ...(spec.inputs.baseline ? { baseline: spec.inputs.baseline } : {}),
  });
  const selected = spec.select ? await spec.select(policy.findings, scan) : policy.findings;
  const shown = selected.filter((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[spec.options.severity]);
  return { scan, policy, shown, ...(await fixesFor(shown, scan, spec)) };
}

/**
 * Fixes are planned only when something shows or applies them: --fix, --fix-dry-run, or a format
 * with a place for them. The fix machinery (and tree-sitter, which checks rewritten texts) is
 * loaded on first use: a plain text or JSON scan, cached or not, needs none of it.
 */
async function fixesFor(shown: readonly Finding[], scan: ScanResult, spec: RoundSpec): Promise<RoundFixes> {
  const rewrite = spec.options.fix === true || spec.options.fixDryRun === true;
  if (!rewrite && !FORMATS_SHOWING_FIXES.has(spec.options.format)) return { fixes: new Map(), fixedFiles: [], fixErrors: [] };
  const { roundFixes } = await import('./round-fixes.js');
  return roundFixes(shown, scan.sourceTexts, { roots: spec.roots, cwd: spec.cwd, rewrite });
}

/**
 * Runs a round and, with --fix, writes the fixes and runs again so the report shows what is left.
 * With --fix-dry-run nothing is written: the diff takes standard output (the report goes to --output
 * when one is given, else to standard error; see printReport).
 */
export async function lintWithFixes(spec: RoundSpec): Promise<{ round: LintRound; diff: string | undefined; writeErrors: FileError[] }> {
  const first = await lintRound(spec);
  if (spec.options.fixDryRun) {
    // Loaded on first use: the diff library is only for --fix-dry-run.
    const { unifiedDiff } = await import('../fix/unified-diff.js');
    const diff = first.fixedFiles.map((file) => unifiedDiff(file.file, file.before, file.after)).join('');
    return { round: first, diff, writeErrors: first.fixErrors };
  }
  if (!spec.options.fix || first.fixedFiles.length === 0) return { round: first, diff: undefined, writeErrors: first.fixErrors };
  // Already loaded by the round for --fix (round-fixes.ts); this module imports no fix code itself.
  const { writeFixedFiles } = await import('../fix/apply-fixes.js');
  const { written, errors } = await writeFixedFiles(first.fixedFiles);
  const writeErrors = [...first.fixErrors, ...errors];
  if (written.length === 0) return { round: first, diff: undefined, writeErrors };
  const writtenFiles = new Set(written.map((file) => file.file));
  const fixedCount = first.shown.filter((finding) => writtenFiles.has(first.fixes.get(finding)?.file ?? '')).length;
  process.stderr.write(`ringlint: fixed ${fixedCount} finding${fixedCount === 1 ? '' : 's'} in ${written.length} file${written.length === 1 ? '' : 's'}\n`);
  return { round: await lintRound(spec), diff: undefined, writeErrors };
}

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
  // (lint-options.ts turns away other formats without --output).
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
