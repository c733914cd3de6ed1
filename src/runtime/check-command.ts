/**
 * The check command as the command line declares it: options, their parsers and help. The run
 * (check-action.ts) is loaded only when check is invoked.
 */
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from '../cli/commander.js';
import type { CheckCliOptions } from './check-action.js';

function nonNegativeInteger(name: string) {
  return (value: string): number => {
    // commander prefixes the option and the offending value
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a non-negative integer.`);
    return Number(value);
  };
}

function delayRange(value: string): [number, number] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(value);
  if (!match) throw new InvalidArgumentError('takes MIN-MAX in microseconds, e.g. 20-2000.');
  const min = Number(match[1]);
  const max = Number(match[2] ?? match[1]);
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
    .option('--packets <n>', 'frames to send', nonNegativeInteger('--packets'), 3000)
    .option('--rate <pps>', 'frames per second (0: as fast as possible)', nonNegativeInteger('--rate'), 3000)
    .option('--seed <n>', 'seed for the traffic pattern and the emulated producers', nonNegativeInteger('--seed'), 1)
    .option('--vlan-every <n>', 'tag every n-th frame with 802.1Q (0: never)', nonNegativeInteger('--vlan-every'), 5)
    .option('--producers <n>', 'emulated kernel producers completing out of order', nonNegativeInteger('--producers'), 4)
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
    .option('--stall-ms <ms>', 'a published frame left unconsumed this long is a stall', nonNegativeInteger('--stall-ms'), 500)
    .option('--start-timeout <ms>', 'how long to wait for the consumer to map its ring', nonNegativeInteger('--start-timeout'), 10000)
    .option('--grace <ms>', 'after SIGINT, wait this long before SIGTERM (and as long again before SIGKILL)', nonNegativeInteger('--grace'), 2000)
    .option('--out <dir>', 'directory {out} stands for; kept after the run (default: a temporary directory)')
    .option('--source <dir>', 'link the verdict to the static findings (RL001–RL004) in this source tree (scanned, never run)')
    .option('--config <file>', 'take option defaults from this config\'s "check" section instead of looking for ringlint.config.json')
    .action(async (command: string[], options: CheckCliOptions, declared: Command) => {
      // Loaded when check runs: the emulator, namespaces and process handling are for check only.
      const { check } = await import('./check-action.js');
      process.exitCode = await check(command, options, (name) => declared.getOptionValueSource(name) === 'cli');
    });
}
