import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ScanReport } from '../model/finding.js';
import { addLintOptions, type LintCliOptions } from './lint-options.js';
import { rulesHelpText } from './rules-help.js';

export function registerScanCommand(program: Command): void {
  addLintOptions(
    program
      .command('scan')
      .description('Report AF_PACKET ring ownership tests that rely on "not KERNEL means mine".')
      .argument('[paths...]', 'files and directories to scan (default: .)'),
  ).addHelpText('after', rulesHelpText).action(async (paths: string[], options: LintCliOptions) => {
    // Loaded when scan runs: --help, --version and the other commands need none of it.
    const { concludeRun, lintWithFixes, loadPolicyInputs, printReport, reportFixErrors } = await import('./lint-run.js');
    const { configDirectoriesFor } = await import('../config/config-file.js');
    const { visibleText } = await import('../reporters/terminal-text.js');
    const cwd = process.cwd();
    const inputs = await loadPolicyInputs(options, cwd, configDirectoriesFor(paths, cwd));
    const stderrBefore = inputs.warnings.map((warning) => `ringlint: ${visibleText(warning)}\n`).join('');
    process.stderr.write(stderrBefore);
    const roots = paths.length > 0 ? paths : ['.'];
    const { round, diff, writeErrors } = await lintWithFixes({ paths, cwd, options, inputs, roots });
    reportFixErrors(writeErrors);
    const shown: ScanReport = { ...round.scan.report, findings: round.shown };
    // The JSON and text outputs of scan are exact contracts: side notes go to standard error,
    // and the formats that have a place for them carry them too.
    const printed = await printReport({
      cwd,
      options,
      round,
      report: shown,
      notes: { suppressionProblems: round.policy.suppressionProblems, staleBaselineEntries: round.policy.staleBaselineEntries },
      notesInReport: false,
      diff,
    });
    const { exitCode, stderr: verdict } = concludeRun(shown, options, roots);
    // A run that wrote files (--fix, --output) is not one to replay: replaying only prints.
    if (options.cache && printed.stdout !== undefined && !options.fix) {
      const { recordPrintedScan } = await import('./output-replay.js');
      await recordPrintedScan({
        stderrBefore,
        stdout: printed.stdout,
        stderrAfter: printed.stderr + verdict,
        exitCode,
        elapsedMs: shown.elapsedMs,
        renderWithElapsed: printed.renderWithElapsed,
        inputs: inputs.filesLookedAt,
        roots: roots.map((root) => resolve(cwd, root)),
      });
    }
  });
}
