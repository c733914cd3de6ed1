/**
 * One analysis round of scan and review (the scan, the policy, the command's selection, the severity
 * threshold and the fixes to show or apply), and --fix's second round after writing the fixes. The
 * fix machinery loads only when used.
 */
import { defaultCacheDirectory } from '../cache/cache-directory.js';
import type { Finding } from '../model/finding.js';
import { applyFindingPolicy, type PolicyOutcome } from '../policy/finding-policy.js';
import { scanSources, type Prestart, type ScanResult } from '../scan/run-scan.js';
import type { LintCliOptions } from './lint-options.js';
import type { PolicyInputs } from './policy-inputs.js';
import { progressDisplay } from './progress-display.js';
import { FORMATS_SHOWING_FIXES } from './report-output.js';
import type { RoundFixes } from './round-fixes.js';

/**
 * Its fixes are empty when nothing shows or applies them (see `fixesFor`); after --fix, its fix
 * errors are the fixes that could not be applied or written.
 */
export interface LintRound extends RoundFixes {
  scan: ScanResult;
  policy: PolicyOutcome;
  /** What is reported: after policy, the command's selection (review: new only) and the threshold. */
  shown: Finding[];
  /** --fix-dry-run's unified diff of the fixes. */
  diff?: string;
}

export interface RoundSpec {
  /** What is scanned, and the roots that fixes must stay inside. */
  roots: string[];
  cwd: string;
  options: LintCliOptions;
  inputs: PolicyInputs;
  /** Narrows the policy's findings (review keeps those the change introduces). */
  select?: (findings: Finding[], scan: ScanResult) => Promise<Finding[]>;
  /** Started for this command line before the CLI loaded; each piece is used at most once. */
  prestart?: Prestart;
}

async function lintRound(spec: RoundSpec): Promise<LintRound> {
  const progress = spec.options.quiet ? undefined : progressDisplay(process.stderr);
  let scan: ScanResult;
  try {
    scan = await scanSources({
      paths: spec.roots,
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
  const policy = applyFindingPolicy(scan.report.findings, scan.sourceTexts, spec.cwd, spec.inputs);
  const selected = spec.select ? await spec.select(policy.findings, scan) : policy.findings;
  // --severity warning shows every finding, error only errors.
  const shown = selected.filter((finding) => spec.options.severity === 'warning' || finding.severity === 'error');
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
 * when one is given, else to standard error; see run-output.ts).
 */
export async function lintWithFixes(spec: RoundSpec): Promise<LintRound> {
  const first = await lintRound(spec);
  if (spec.options.fixDryRun) {
    // Loaded on first use: the diff library is only for --fix-dry-run.
    const { unifiedDiff } = await import('../fix/unified-diff.js');
    return { ...first, diff: first.fixedFiles.map((file) => unifiedDiff(file.file, file.before, file.after)).join('') };
  }
  if (!spec.options.fix || first.fixedFiles.length === 0) return first;
  // Already loaded by the round for --fix (round-fixes.ts); this module imports no fix code itself.
  const { writeFixedFiles } = await import('../fix/apply-fixes.js');
  const { written, errors } = await writeFixedFiles(first.fixedFiles);
  const fixErrors = [...first.fixErrors, ...errors];
  if (written.length === 0) return { ...first, fixErrors };
  const writtenFiles = new Set(written.map((file) => file.file));
  const fixedCount = first.shown.filter((finding) => writtenFiles.has(first.fixes.get(finding)?.file ?? '')).length;
  process.stderr.write(`ringlint: fixed ${fixedCount} finding${fixedCount === 1 ? '' : 's'} in ${written.length} file${written.length === 1 ? '' : 's'}\n`);
  // What is left is the second round's to report; what could not be fixed, the first's.
  return { ...(await lintRound(spec)), fixErrors };
}
