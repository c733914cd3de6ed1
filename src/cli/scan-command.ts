import type { Command } from 'commander';
import type { Prestart } from '../scan/run-scan.js';
import { addLintOptions } from './command-options.js';
import type { LintCliOptions } from './lint-options.js';

/** `prestart`: what main.ts started for this command line before the CLI loaded. */
export function registerScanCommand(program: Command, prestart: Prestart = {}): void {
  addLintOptions(
    program
      .command('scan')
      .description('Report AF_PACKET ring ownership tests that rely on "not KERNEL means mine".')
      .argument('[paths...]', 'files and directories to scan (default: .)'),
  ).action(async (paths: string[], options: LintCliOptions) => {
    // Loaded when scan runs: --help, --version and the other commands need none of it.
    const { loadPolicyInputs } = await import('./policy-inputs.js');
    const { lintWithFixes } = await import('./lint-round.js');
    const { finishRun } = await import('./run-output.js');
    const { configDirectoriesFor } = await import('../config/config-file.js');
    const { visibleText } = await import('../reporters/terminal-text.js');
    const cwd = process.cwd();
    const inputs = await loadPolicyInputs(options, cwd, configDirectoriesFor(paths, cwd));
    for (const warning of inputs.warnings) process.stderr.write(`ringlint: ${visibleText(warning)}\n`);
    const roots = paths.length > 0 ? paths : ['.'];
    const round = await lintWithFixes({ roots, cwd, options, inputs, prestart });
    // The JSON and text outputs of scan are exact contracts: side notes go to standard error,
    // and the formats that have a place for them carry them too.
    await finishRun({ cwd, options, round, roots, notesInReport: false });
  });
}
