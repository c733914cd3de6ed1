import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { createBaseline, DEFAULT_BASELINE_FILE, formatBaseline } from '../baseline/baseline-file.js';
import { loadConfig } from '../config/config-file.js';
import { applyFindingPolicy } from '../policy/finding-policy.js';
import { DEFAULT_MAX_FILE_SIZE, scanSources } from '../scan/run-scan.js';
import { parseByteSize } from './byte-size.js';
import { configDirectoriesFor } from './lint-run.js';

interface BaselineCliOptions {
  output?: string;
  config?: string;
  maxFileSize: number;
}

export function registerBaselineCommand(program: Command): void {
  program
    .command('baseline')
    .description('Record the current findings in a baseline file, so that scan and review --baseline hide them.')
    .argument('[paths...]', 'files and directories to scan (default: .)')
    .option('-o, --output <file>', `where to write the baseline (default: the config's "baseline", else ${DEFAULT_BASELINE_FILE})`)
    .option('--config <file>', 'use this config file instead of looking for ringlint.config.json')
    .addOption(
      new Option('--max-file-size <size>', 'do not parse larger files (e.g. 8mb, 512kb)').argParser(parseByteSize).default(DEFAULT_MAX_FILE_SIZE, '8mb'),
    )
    .action(async (paths: string[], options: BaselineCliOptions) => {
      const cwd = process.cwd();
      const config = await loadConfig(options.config === undefined ? undefined : resolve(cwd, options.config), configDirectoriesFor(paths, cwd));
      const { report, sourceTexts } = await scanSources({ paths, cwd, maxFileSize: options.maxFileSize });
      // Suppressed and rule-off findings are not recorded: the baseline holds what would be reported.
      const policy = applyFindingPolicy(report.findings, sourceTexts, { cwd, ...(config ? { config } : {}) });
      const output =
        options.output !== undefined
          ? resolve(cwd, options.output)
          : config?.config.baseline !== undefined
            ? resolve(dirname(config.path), config.config.baseline)
            : resolve(cwd, DEFAULT_BASELINE_FILE);
      await writeFile(output, formatBaseline(createBaseline(policy.acceptable, policy.fingerprints)));
      const count = policy.acceptable.length;
      process.stderr.write(`ringlint: recorded ${count} finding${count === 1 ? '' : 's'} in ${output}\n`);
      process.exitCode = 0;
    });
}
