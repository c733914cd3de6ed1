import { resolve } from 'node:path';
import type { Command } from 'commander';
import { checkInsideConfigTree, configuredBaselinePath, createBaseline, DEFAULT_BASELINE_FILE, writeBaseline } from '../baseline/baseline-file.js';
import { commanderOption } from './command-options.js';
import type { LintCliOptions } from './lint-options.js';
import { MAX_FILE_SIZE_OPTION } from './max-file-size-option.js';

type BaselineCliOptions = Pick<LintCliOptions, 'output' | 'config' | 'maxFileSize'>;

export function registerBaselineCommand(program: Command): void {
  program
    .command('baseline')
    .description('Record the current findings in a baseline file, so that scan and review --baseline hide them.')
    .argument('[paths...]', 'files and directories to scan (default: .)')
    .option('-o, --output <file>', `where to write the baseline (default: the config's "baseline", else ${DEFAULT_BASELINE_FILE})`)
    .option('--config <file>', 'use this config file instead of looking for ringlint.config.json')
    .addOption(commanderOption(MAX_FILE_SIZE_OPTION))
    .action(async (paths: string[], options: BaselineCliOptions) => {
      // Loaded when baseline runs: --help, --version and the other commands need none of it.
      const { configDirectoriesFor, loadConfig } = await import('../config/config-file.js');
      const { applyFindingPolicy } = await import('../policy/finding-policy.js');
      const { scanSources } = await import('../scan/run-scan.js');
      const { visibleText } = await import('../reporters/terminal-text.js');
      const cwd = process.cwd();
      const config = await loadConfig(options.config === undefined ? undefined : resolve(cwd, options.config), configDirectoriesFor(paths, cwd));
      const configured = config ? configuredBaselinePath(config) : undefined;
      const output = options.output !== undefined ? resolve(cwd, options.output) : (configured ?? resolve(cwd, DEFAULT_BASELINE_FILE));
      // Said before the scan: --output is the user's own choice, a config file is the repository's.
      if (options.output === undefined && config && configured !== undefined) await checkInsideConfigTree(configured, config);
      const { report, sourceTexts } = await scanSources({ paths, cwd, maxFileSize: options.maxFileSize });
      // Suppressed and rule-off findings are not recorded: the baseline holds what would be reported.
      const policy = applyFindingPolicy(report.findings, sourceTexts, cwd, { config });
      await writeBaseline(output, createBaseline(policy.acceptable, policy.fingerprints));
      const count = policy.acceptable.length;
      process.stderr.write(`ringlint: recorded ${count} finding${count === 1 ? '' : 's'} in ${visibleText(output)}\n`);
      process.exitCode = 0;
    });
}
