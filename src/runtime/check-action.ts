/**
 * The check command's run: preflight (native artifacts, privileges), the emulated-ring run, the
 * optional link to static findings, and the verdict's output and exit code. Loaded when check
 * runs: its registration (check-command.ts) is all that --help, --version and scan need.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SourceLineLookup } from '../reporters/source-lines.js';
import { ConfigError, configDirectoriesFor, loadConfig, type CheckSettings } from '../config/config-file.js';
import { EXIT_TOOL_ERROR } from '../cli/exit-status.js';
import { visibleText } from '../reporters/terminal-text.js';
import { CHECK_INTEGER_OPTIONS, outOfRange, type CheckCliOptions, type CheckIntegerOption } from './check-command.js';
import { locateNativeArtifacts } from './native-artifacts.js';
import { planSandbox } from './privilege.js';
import { runCheck, type RunFigures } from './run-check.js';
import { describeRuntimeLink, linkStaticFindings, type LinkedReport } from './static-link.js';
import type { VerdictKind } from './verdict.js';

/** Exit codes, as README.md's `ringlint check` section states them: a breaking consumer fails a CI job like a finding. */
const EXIT_CODES: Readonly<Record<VerdictKind, number>> = { safe: 0, breaks: 1, crashed: 1, inconclusive: 3 };

/** The "check" section of the config: --config, else ringlint.config.json in the --source tree or the working directory. */
async function checkSettings(options: CheckCliOptions): Promise<CheckSettings | undefined> {
  const cwd = process.cwd();
  const config = await loadConfig(options.config === undefined ? undefined : resolve(cwd, options.config), configDirectoriesFor(options.source ? [options.source] : [], cwd));
  const settings = config?.config.check;
  if (!settings) return settings;
  // The schema says "integer >= 0"; the ranges are the command line's (check-command.ts).
  for (const [name, value] of Object.entries(settings)) {
    if (!(name in CHECK_INTEGER_OPTIONS)) continue;
    const values: unknown[] = Array.isArray(value) ? value : [value];
    values.forEach((one, index) => {
      const problem = outOfRange(name as CheckIntegerOption, Number(one));
      const pointer = Array.isArray(value) ? `/check/${name}/${index}` : `/check/${name}`;
      if (problem) throw new ConfigError(`invalid config ${config?.path}: ${pointer} ${problem}`);
    });
  }
  const [min, max] = settings.delayUs ?? [0, 0];
  if (max < min) throw new ConfigError(`invalid config ${config?.path}: /check/delayUs MAX (${max}) is below MIN (${min})`);
  return settings;
}

function describeFigures(run: string, figures: RunFigures): string {
  return (
    `${run}: ${figures.consumed} of ${figures.sent} frames consumed (${figures.framesPerSecond}/s of traffic), ` +
    `${figures.kernelDrops} dropped by the kernel, ${figures.emulatedDrops} by the emulated ring, ${figures.unconsumed} left in the ring` +
    (figures.note ? ` (${figures.note})` : '')
  );
}

/** One line per fact; each made visible (terminal-text.ts): the consumer's output, file names and messages of its source tree are in them. */
function formatText(report: LinkedReport): string {
  const c = report.counters;
  const lines = [
    `verdict: ${report.verdict} — ${report.reason}`,
    `ring: ${report.ring.version ?? 'none'}${report.ring.version ? `, ${report.ring.frames} frames of ${report.ring.frameSize} bytes${report.ring.emulated ? ', emulated' : ', passed through'}${report.ring.withTxRing ? ' (a TX ring shares its mapping: left to the kernel)' : ''}` : ''}`,
    `emulator: IN_PROGRESS=0x${report.emulator.inProgressValue.toString(16)} (${report.emulator.inProgressMode}), ${report.emulator.producers} producers, delay ${report.emulator.delayUs[0]}-${report.emulator.delayUs[1]} us, seed ${report.emulator.seed}`,
    `traffic: ${report.traffic.sent} frames sent (${report.traffic.vlanFrames} VLAN-tagged), seed ${report.traffic.seed}`,
    `counters: claims ${c.claims}, publishes ${c.publishes}, drops ${c.drops}, violations ${c.violations}, poison taken ${c.poisonTaken}, consumed ${c.consumed}, stalls ${c.stalls}`,
    `consumer: pid ${report.consumer.pid ?? '-'}, ${report.consumer.signal ? `signal ${report.consumer.signal}` : `exit code ${report.consumer.exitCode}`}${report.consumer.exitedBeforeStop ? ' (ended on its own)' : report.consumer.stoppedWith ? ` (stopped with ${report.consumer.stoppedWith})` : ''}`,
  ];
  lines.push(`throughput: ${describeFigures('emulated', report.throughput.emulated)}`);
  if (report.throughput.passThrough) lines.push(`throughput: ${describeFigures('pass-through', report.throughput.passThrough)}`);
  for (const item of report.evidence) lines.push(`evidence: ${item}`);
  const first = report.violationLog[0];
  if (first) lines.push(`first violation: slot ${first.slot}, handed back while IN_PROGRESS (seen ${first.inProgressForUs ?? '?'} us after the claim, t=${first.tMs} ms)`);
  if (report.outDir) lines.push(`output kept in ${report.outDir}`);
  if (report.staticFindings) {
    const link = report.staticFindings;
    for (const finding of link.findings)
      lines.push(`static: ${finding.ruleId} ${finding.file}:${finding.line}:${finding.column} ${finding.message} [${describeRuntimeLink(finding)}]`);
    lines.push(`static: ${link.summary}`);
  }
  return `${lines.map(visibleText).join('\n')}\n`;
}

/** `givenOnCommandLine`: whether an option was given (not defaulted), so the config's "check" section does not override it. */
export async function check(command: string[], given: CheckCliOptions, givenOnCommandLine: (option: string) => boolean): Promise<number> {
  if (command.length === 0) {
    process.stderr.write('ringlint check: no consumer command given (usage: ringlint check [options] -- CMD...)\n');
    return EXIT_TOOL_ERROR;
  }
  // The config's settings stand in for the options the command line did not give.
  const settings = Object.entries((await checkSettings(given)) ?? {}).filter(([option]) => !givenOnCommandLine(option));
  const options: CheckCliOptions = { ...given, ...Object.fromEntries(settings) };
  let report: LinkedReport;
  try {
    const native = locateNativeArtifacts();
    report = await runCheck(command, { ...options, producers: Math.max(1, options.producers) }, planSandbox(), native);
  } catch (error) {
    // The sandbox's reasons quote the consumer's output.
    process.stderr.write(`ringlint check: ${visibleText(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT_TOOL_ERROR;
  }
  let sourceLine: SourceLineLookup | undefined;
  // runCheck watched and attributed the accesses whenever a source tree was given.
  if (options.source && report.inProgressAccesses) {
    const linked = await linkStaticFindings(options.source, report.verdict, report.inProgressAccesses);
    report = { ...report, staticFindings: linked.link };
    sourceLine = linked.sourceLine;
  }
  if (options.report) {
    const { renderHtmlReport } = await import('./html-report.js');
    const page = renderHtmlReport(report, sourceLine);
    try {
      await writeFile(resolve(options.report), page);
    } catch (error) {
      process.stderr.write(`ringlint check: cannot write the report ${options.report}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
      return EXIT_TOOL_ERROR;
    }
  }
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatText(report));
  return EXIT_CODES[report.verdict];
}
