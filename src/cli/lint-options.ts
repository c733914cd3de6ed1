/**
 * The options of scan and review, as one table: commander declares them from it (command-options.ts)
 * and the prestart reads a command line by it (prestart.ts). Data only: what they drive
 * (policy-inputs.ts, lint-round.ts, run-output.ts) is loaded when a command runs, not for --help or
 * --version.
 */
import { defaultCacheDirectory } from '../cache/cache-directory.js';
import type { Severity } from '../model/finding.js';
import { AUTOFIXED_RULES, ruleIdRanges } from '../rules/catalog.js';
import { MAX_FILE_SIZE_OPTION } from './max-file-size-option.js';
import type { OptionSpec } from './option-table.js';
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

export const LINT_OPTIONS: readonly OptionSpec[] = [
  { flags: '--format <format>', description: 'output format', choices: OUTPUT_FORMATS, default: { value: 'text' } },
  { flags: '--severity <level>', description: 'lowest severity to report', choices: ['error', 'warning'], default: { value: 'warning' } },
  { flags: '--max-warnings <count>', description: 'fail (exit 1) when more warnings than this are reported; by default only errors fail a run', parse: { value: warningCount, invalid: `expected a number of warnings from 0 to ${Number.MAX_SAFE_INTEGER}.` } },
  MAX_FILE_SIZE_OPTION,
  { flags: '-o, --output <file>', description: 'write the report to FILE instead of standard output' },
  { flags: '--no-prefilter', description: 'parse every file instead of only those whose bytes can matter (same findings, slower)' },
  { flags: '--no-ignore', description: 'walk everything, whatever .gitignore files say (.git and node_modules are still skipped)' },
  { flags: '--no-cache', description: `neither read nor write the scan cache (kept in ${defaultCacheDirectory()})` },
  { flags: '-q, --quiet', description: 'no progress display on a terminal' },
  { flags: '--baseline <file>', description: 'hide the findings recorded in this baseline file (see `ringlint baseline`)' },
  { flags: '--config <file>', description: 'use this config file instead of looking for ringlint.config.json' },
  { flags: '--fix', description: `rewrite ${ruleIdRanges(AUTOFIXED_RULES)} ownership tests to USER-bit tests, then report what is left`, conflicts: 'fixDryRun' },
  { flags: '--fix-dry-run', description: 'print the fixes as a unified diff instead of writing them (the text report goes to standard error, another --format to --output)' },
];

/** Review's own options, declared before the shared ones. */
export const REVIEW_OPTIONS: readonly OptionSpec[] = [
  { flags: '--base <ref>', description: 'the git ref the change is compared with (its merge base with HEAD); with --staged, HEAD by default' },
  { flags: '--staged', description: 'judge what is staged (the index) instead of the working tree: untracked files and unstaged edits are left out', conflicts: 'fix' },
];

function warningCount(value: string): number | undefined {
  // Past 2^53 the count would not be the number given.
  return /^\d+$/.test(value.trim()) && Number.isSafeInteger(Number(value)) ? Number(value) : undefined;
}
