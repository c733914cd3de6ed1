/**
 * The options scan and review share, as the command line declares them. Registration only: the
 * implementation they drive (lint-run.ts) is loaded when a command runs, not for --help or --version.
 */
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from './commander.js';
import { defaultCacheDirectory } from '../cache/scan-cache.js';
import type { Severity } from '../model/finding.js';
import { AUTOFIXED_RULES, ruleIdRanges } from '../rules/catalog.js';
import { maxFileSizeOption } from './max-file-size-option.js';
import { OUTPUT_FORMATS, type OutputFormat } from './report-output.js';

export interface LintCliOptions {
  format: OutputFormat;
  severity: Severity;
  /** The most warnings a run may report and still exit 0; none: warnings alone never fail it. */
  maxWarnings?: number;
  maxFileSize: number;
  output?: string;
  baseline?: string;
  config?: string;
  fix?: boolean;
  fixDryRun?: boolean;
  /** `--no-prefilter`: parse every file (audits; same findings). */
  prefilter: boolean;
  /** `--no-ignore`: walk everything, whatever .gitignore files say. */
  ignore: boolean;
  /** `--no-cache`: neither read nor write the scan cache. */
  cache: boolean;
  quiet?: boolean;
}

export function addLintOptions(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('text'))
    .addOption(new Option('--severity <level>', 'lowest severity to report').choices(['error', 'warning']).default('warning'))
    .addOption(new Option('--max-warnings <count>', 'fail (exit 1) when more warnings than this are reported; by default only errors fail a run').argParser(parseWarningCount))
    .addOption(maxFileSizeOption())
    .option('-o, --output <file>', 'write the report to FILE instead of standard output')
    .option('--no-prefilter', 'parse every file instead of only those whose bytes can matter (same findings, slower)')
    .option('--no-ignore', 'walk everything, whatever .gitignore files say (.git and node_modules are still skipped)')
    .option('--no-cache', `neither read nor write the scan cache (kept in ${defaultCacheDirectory()})`)
    .option('-q, --quiet', 'no progress display on a terminal')
    .option('--baseline <file>', 'hide the findings recorded in this baseline file (see `ringlint baseline`)')
    .option('--config <file>', 'use this config file instead of looking for ringlint.config.json')
    .addOption(new Option('--fix', `rewrite ${ruleIdRanges(AUTOFIXED_RULES)} ownership tests to USER-bit tests, then report what is left`).conflicts('fixDryRun'))
    .option('--fix-dry-run', 'print the fixes as a unified diff instead of writing them (the text report goes to standard error, another --format to --output)')
    .hook('preAction', (command) => {
      // The diff takes standard output; a machine-readable report there too would corrupt both.
      const options = command.opts<LintCliOptions>();
      if (options.fixDryRun && options.output === undefined && command.getOptionValueSource('format') === 'cli' && options.format !== 'text') {
        command.error(`error: --fix-dry-run prints the diff on standard output: add --output FILE for the ${options.format} report`, { code: 'commander.conflictingOption' });
      }
    });
}

function parseWarningCount(value: string): number {
  // Past 2^53 the count would not be the number given.
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value))) throw new InvalidArgumentError(`expected a number of warnings from 0 to ${Number.MAX_SAFE_INTEGER}.`);
  return Number(value);
}
