/**
 * The check command as the command line declares it: options, their parsers and help. The run
 * (check-action.ts) is loaded only when check is invoked.
 */
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from '../cli/commander.js';
import type { CheckSettings } from '../config/config-file.js';
import { ruleIdRanges, RUNTIME_LINKED_RULES } from '../rules/catalog.js';

/** The options of check as commander hands them to its run (check-action.ts): the config's "check" settings, and those only the command line has. */
export type CheckCliOptions = Required<CheckSettings> & {
  json: boolean;
  out?: string;
  source?: string;
  config?: string;
  baselineRun: boolean;
  report?: string;
};

/**
 * The largest value of each integer option of `ringlint check`, from the command line and from
 * the config's "check" section alike (all are at least 0). Times must fit Node's timers — above
 * 2^31−1 ms setTimeout fires after 1 ms —, counts and microseconds the native side's 32-bit
 * fields, and the seed the traffic generator's uint32.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;
const INT32_MAX = 2 ** 31 - 1;
/** RINGLINT_MAX_PRODUCERS in native-check/ringlint-wire.h: the emulator runs no more. */
const MAX_PRODUCERS = 16;

export const CHECK_INTEGER_OPTIONS = {
  packets: { flag: '--packets', max: INT32_MAX },
  rate: { flag: '--rate', max: INT32_MAX },
  seed: { flag: '--seed', max: 2 ** 32 - 1 },
  vlanEvery: { flag: '--vlan-every', max: INT32_MAX },
  producers: { flag: '--producers', max: MAX_PRODUCERS },
  /** each bound of MIN-MAX, microseconds */
  delayUs: { flag: '--delay-us', max: INT32_MAX },
  stallMs: { flag: '--stall-ms', max: MAX_TIMER_MS },
  startTimeout: { flag: '--start-timeout', max: MAX_TIMER_MS },
  grace: { flag: '--grace', max: MAX_TIMER_MS },
} as const;

export type CheckIntegerOption = keyof typeof CHECK_INTEGER_OPTIONS;

/** Why `value` is not a valid `option`, or undefined when it is. */
export function outOfRange(option: CheckIntegerOption, value: number): string | undefined {
  const { max } = CHECK_INTEGER_OPTIONS[option];
  if (Number.isInteger(value) && value >= 0 && value <= max) return undefined;
  return `must be an integer from 0 to ${max}`;
}

/** Parses a decimal integer within its range; commander prefixes the option and the value. */
function integer(option: CheckIntegerOption) {
  const { flag } = CHECK_INTEGER_OPTIONS[option];
  return (value: string): number => {
    const problem = /^\d+$/.test(value) ? outOfRange(option, Number(value)) : 'must be a non-negative integer';
    if (problem) throw new InvalidArgumentError(`${flag} ${problem}.`);
    return Number(value);
  };
}

function delayRange(value: string): [number, number] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(value);
  if (!match) throw new InvalidArgumentError('takes MIN-MAX in microseconds, e.g. 20-2000.');
  const min = Number(match[1]);
  const max = Number(match[2] ?? match[1]);
  const problem = outOfRange('delayUs', min) ?? outOfRange('delayUs', max);
  if (problem) throw new InvalidArgumentError(`MIN and MAX each ${problem}.`);
  if (max < min) throw new InvalidArgumentError(`MAX (${max}) is below MIN (${min}).`);
  return [min, max];
}

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description(
      'Run a ring consumer under the IN_PROGRESS emulator in a private network namespace and report whether it breaks. ' +
        'CMD may use {iface} (the capture interface) and {out} (a directory for its output).',
    )
    .usage('[options] -- CMD...')
    // CMD follows `--`, after which commander passes every word through verbatim. (passThroughOptions
    // would need enablePositionalOptions on the whole program, changing how `scan` parses too.)
    .argument('<cmd...>', 'the consumer command line, after --')
    .option('--json', 'print the verdict object as JSON', false)
    .option('--packets <n>', 'frames to send', integer('packets'), 3000)
    .option('--rate <pps>', 'frames per second (0: as fast as possible)', integer('rate'), 3000)
    .option('--seed <n>', 'seed for the traffic pattern and the emulated producers', integer('seed'), 1)
    .option('--vlan-every <n>', 'tag every n-th frame with 802.1Q (0: never)', integer('vlanEvery'), 5)
    .option('--producers <n>', 'emulated kernel producers completing out of order', integer('producers'), 4)
    .addOption(
      new Option('--delay-us <min-max>', 'IN_PROGRESS time of each slot, microseconds')
        .argParser(delayRange)
        .default([20, 2000], '20-2000'),
    )
    .addOption(
      new Option('--in-progress <mode>', 'the IN_PROGRESS status: an undefined bit (1<<28) or the RFC\'s reuse of TP_STATUS_LOSING')
        .choices(['undefined-bit', 'losing'])
        .default('undefined-bit'),
    )
    .option('--stall-ms <ms>', 'a published frame left unconsumed this long is a stall', integer('stallMs'), 500)
    .option('--start-timeout <ms>', 'how long to wait for the consumer to map its ring', integer('startTimeout'), 10000)
    .option('--grace <ms>', 'after SIGINT, wait this long before SIGTERM (and as long again before SIGKILL)', integer('grace'), 2000)
    .option('--out <dir>', 'directory {out} stands for; kept after the run (default: a temporary directory)')
    .option('--baseline-run', 'run the consumer a second time with the emulator off (same traffic) and report both runs\' throughput and drops', false)
    .option('--report <file>', 'write the run as a self-contained HTML page: the ring over time, the evidence, and with --source the findings it confirms')
    .option('--source <dir>', `link the verdict to the static findings (${ruleIdRanges(RUNTIME_LINKED_RULES)}) in this source tree (scanned, never run), line by line where the binary has debug information`)
    .option('--config <file>', 'take option defaults from this config\'s "check" section instead of looking for ringlint.config.json')
    .action(async (command: string[], options: CheckCliOptions, declared: Command) => {
      // Loaded when check runs: the emulator, namespaces and process handling are for check only.
      const { check } = await import('./check-action.js');
      process.exitCode = await check(command, options, (name) => declared.getOptionValueSource(name) === 'cli');
    });
}
