/**
 * The exit status of scan and review, as ESLint's: 0 clean, 1 errors or more warnings than
 * --max-warnings allows, 2 usage or tool error — and a run that analysed nothing, which is a
 * mistake in how it was invoked, not a clean tree. CI jobs, the action and the pre-commit hooks
 * rely on these codes.
 *
 * "Analysed nothing" is about files, not findings. A tree whose files were all considered and none
 * of whose bytes could matter (no status word: the prefilter's judgement, which is the analysis for
 * such a file) was analysed, and is clean. Nothing was analysed when no file was considered at all
 * (no file ringlint reads under the given paths), or when every file considered failed before
 * anything of it was parsed (unreadable, binary, over --max-file-size while naming the status word).
 */
import type { ScanReport } from '../model/finding.js';
import { SOURCE_EXTENSIONS } from '../files/source-kind.js';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_TOOL_ERROR = 2;

export interface ExitStatus {
  code: number;
  /** Why, when the code is not what the shown findings alone say: said on standard error after the report. */
  reason?: string;
}

/**
 * The status of a run that reported `report` (its findings after policy and the severity threshold)
 * for the paths `roots`; `maxWarnings`: the most warnings it may report and still pass (none:
 * warnings never fail it).
 */
export function lintExitStatus(report: ScanReport, roots: readonly string[], maxWarnings: number | undefined): ExitStatus {
  const nothing = nothingAnalysed(report, roots);
  if (nothing !== undefined) return { code: EXIT_TOOL_ERROR, reason: nothing };
  if (report.findings.some((finding) => finding.severity === 'error')) return { code: EXIT_FINDINGS };
  const warnings = report.findings.filter((finding) => finding.severity === 'warning').length;
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    return { code: EXIT_FINDINGS, reason: `${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${maxWarnings} allows` };
  }
  return { code: EXIT_CLEAN };
}

/** Why nothing was analysed, or undefined when something was. */
function nothingAnalysed(report: ScanReport, roots: readonly string[]): string | undefined {
  if (report.filesScanned === 0) {
    return `nothing to analyse: no file under ${roots.join(', ')} is one ringlint reads (${SOURCE_EXTENSIONS.join(' ')})`;
  }
  const failed = new Set(report.errors.map((error) => error.file)).size;
  if (report.filesParsed === 0 && failed >= report.filesScanned) {
    return report.filesScanned === 1
      ? 'nothing analysed: the only file could not be read or analysed (see its error)'
      : `nothing analysed: none of the ${report.filesScanned} files could be read or analysed (see their errors)`;
  }
  return undefined;
}
