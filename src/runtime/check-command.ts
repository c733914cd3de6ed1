import { InvalidArgumentError, Option, type Command } from 'commander';
import { locateNativeArtifacts, NativeArtifactsMissing } from './native-artifacts.js';
import { planPrivileges, reexecInUserNamespace } from './privilege.js';
import { runCheck, type CheckOptions, type CheckReport } from './run-check.js';
import { linkStaticFindings, type StaticLink } from './static-link.js';
import type { VerdictKind } from './verdict.js';

/** Exit codes of DESIGN.md §4. */
const EXIT_CODES: Readonly<Record<VerdictKind, number>> = { safe: 0, breaks: 1, crashed: 1, inconclusive: 3 };
const EXIT_TOOL_ERROR = 2;

interface CheckCliOptions {
  json: boolean;
  packets: number;
  rate: number;
  seed: number;
  vlanEvery: number;
  producers: number;
  delayUs: [number, number];
  inProgress: 'undefined-bit' | 'losing';
  stallMs: number;
  startTimeout: number;
  grace: number;
  out?: string;
  source?: string;
}

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

type CheckReportWithSource = CheckReport & { staticFindings?: StaticLink };

function formatText(report: CheckReportWithSource): string {
  const c = report.counters;
  const lines = [
    `verdict: ${report.verdict} — ${report.reason}`,
    `ring: ${report.ring.version ?? 'none'}${report.ring.version ? `, ${report.ring.frames} frames of ${report.ring.frameSize} bytes${report.ring.emulated ? ', emulated' : ', passed through'}` : ''}`,
    `emulator: IN_PROGRESS=0x${report.emulator.inProgressValue.toString(16)} (${report.emulator.inProgressMode}), ${report.emulator.producers} producers, delay ${report.emulator.delayUs[0]}-${report.emulator.delayUs[1]} us, seed ${report.emulator.seed}`,
    `traffic: ${report.traffic.sent} frames sent (${report.traffic.vlanFrames} VLAN-tagged), seed ${report.traffic.seed}`,
    `counters: claims ${c.claims}, publishes ${c.publishes}, drops ${c.drops}, violations ${c.violations}, poison taken ${c.poisonTaken}, consumed ${c.consumed}, stalls ${c.stalls}`,
    `consumer: pid ${report.consumer.pid ?? '-'}, ${report.consumer.signal ? `signal ${report.consumer.signal}` : `exit code ${report.consumer.exitCode}`}${report.consumer.exitedBeforeStop ? ' (ended on its own)' : report.consumer.stoppedWith ? ` (stopped with ${report.consumer.stoppedWith})` : ''}`,
  ];
  for (const item of report.evidence) lines.push(`evidence: ${item}`);
  if (report.violationLog.length > 0) {
    const first = report.violationLog[0];
    if (first) lines.push(`first violation: slot ${first.slot}, handed back while IN_PROGRESS (seen ${first.inProgressForUs ?? '?'} us after the claim, t=${first.tMs} ms)`);
  }
  if (report.outDir) lines.push(`output kept in ${report.outDir}`);
  if (report.staticFindings) {
    const link = report.staticFindings;
    for (const finding of link.findings)
      lines.push(`static: ${finding.ruleId} ${finding.file}:${finding.line}:${finding.column} ${finding.message} [${finding.runtime}]`);
    lines.push(`static: ${link.summary}`);
  }
  return `${lines.join('\n')}\n`;
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
    .action(async (command: string[], options: CheckCliOptions) => {
      process.exitCode = await check(command, options);
    });
}

async function check(command: string[], options: CheckCliOptions): Promise<number> {
  if (command.length === 0) {
    process.stderr.write('ringlint check: no consumer command given (usage: ringlint check [options] -- CMD...)\n');
    return EXIT_TOOL_ERROR;
  }
  let native;
  try {
    native = locateNativeArtifacts();
  } catch (error) {
    if (!(error instanceof NativeArtifactsMissing)) throw error;
    process.stderr.write(`ringlint check: ${error.message}\n`);
    return EXIT_TOOL_ERROR;
  }
  const plan = planPrivileges();
  if (plan.kind === 'impossible') {
    process.stderr.write(`ringlint check: ${plan.message}\n`);
    return EXIT_TOOL_ERROR;
  }
  if (plan.kind === 'reexec-in-user-namespace') return reexecInUserNamespace();

  const checkOptions: CheckOptions = {
    command,
    packets: options.packets,
    rate: options.rate,
    seed: options.seed,
    vlanEvery: options.vlanEvery,
    producers: Math.max(1, options.producers),
    delayMinUs: options.delayUs[0],
    delayMaxUs: options.delayUs[1],
    inProgress: options.inProgress,
    stallMs: options.stallMs,
    startTimeoutMs: options.startTimeout,
    interruptGraceMs: options.grace,
    terminateGraceMs: options.grace,
    ...(options.out ? { outDir: options.out } : {}),
  };
  let report: CheckReportWithSource;
  try {
    report = await runCheck(checkOptions, plan.mode, native);
  } catch (error) {
    process.stderr.write(`ringlint check: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_TOOL_ERROR;
  }
  if (options.source) report = { ...report, staticFindings: await linkStaticFindings(options.source, report.verdict) };
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatText(report));
  return EXIT_CODES[report.verdict];
}
