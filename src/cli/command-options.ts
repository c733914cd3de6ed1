/** Option tables (option-table.ts) declared to commander, and the checks across scan's and review's options. */
import type { Command, Option as CommanderOption } from 'commander';
import { InvalidArgumentError, Option } from './commander.js';
import { LINT_OPTIONS, type LintCliOptions } from './lint-options.js';
import type { OptionSpec } from './option-table.js';
import { rulesHelpText } from './rules-help.js';

export function commanderOption(spec: OptionSpec): CommanderOption {
  const option = new Option(spec.flags, spec.description);
  if (spec.choices) option.choices(spec.choices);
  const { parse } = spec;
  if (parse) {
    option.argParser((text: string) => {
      const value = parse.value(text);
      if (value === undefined) throw new InvalidArgumentError(parse.invalid);
      return value;
    });
  }
  if (spec.default) option.default(spec.default.value, spec.default.shown);
  if (spec.conflicts !== undefined) option.conflicts(spec.conflicts);
  return option;
}

export function addOptions(command: Command, specs: readonly OptionSpec[]): Command {
  for (const spec of specs) command.addOption(commanderOption(spec));
  return command;
}

/** The options scan and review share, and the rules section of their help. */
export function addLintOptions(command: Command): Command {
  return addOptions(command, LINT_OPTIONS).addHelpText('after', rulesHelpText).hook('preAction', (command) => {
    // The diff takes standard output; a machine-readable report there too would corrupt both.
    const options = command.opts<LintCliOptions>();
    if (options.fixDryRun && options.output === undefined && command.getOptionValueSource('format') === 'cli' && options.format !== 'text') {
      command.error(`error: --fix-dry-run prints the diff on standard output: add --output FILE for the ${options.format} report`, { code: 'commander.conflictingOption' });
    }
  });
}
