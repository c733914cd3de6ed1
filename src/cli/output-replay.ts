/**
 * A scan answered from the cache prints what the previous identical invocation printed, without
 * loading the CLI: its start-up (commander, the command modules, config and policy loading, the
 * reporter) costs as much as the stamp check itself. "Identical" is the hint's identity (arguments,
 * working directory, engine) plus everything else the output depends on: the analyzer build, the
 * colour decision, the config and baseline files the run looked at, and the cache entry the report
 * came from, whose stamps vouch for the tree. Only output that went to standard output and wrote
 * no file is recorded; the elapsed time in it is left as a hole and filled in anew.
 */
import { analyzerFingerprint } from '../cache/analyzer-fingerprint.js';
import { earlyRecordedOutput, RACY_WINDOW_NS, recordOutput } from '../cache/scan-cache.js';
import { isRacy, sameStamp, stampOf, type FileStamp } from '../cache/stamps.js';
import { realPathOrNull } from '../files/real-path.js';
import { colorEnabled } from './color-support.js';

export interface RecordedOutput {
  /** The token of the stamps that vouch for the tree. */
  token: string;
  /** The cache's report file as the recording run left it: a report rewritten or corrupted since does not vouch. */
  report: { path: string; stamp: FileStamp };
  analyzer: string;
  color: boolean;
  /** Files the run's output depends on besides the tree (config, baseline), null when absent. */
  inputs: Array<{ path: string; stamp: FileStamp | null }>;
  /** The scanned roots and the real paths they resolved to (a symbolic link may be retargeted). */
  roots: Array<{ path: string; realPath: string | null }>;
  /** When recorded: an input stamped this recently (within the racy window) proves nothing, as in the cache. */
  recordedAtNs: string;
  stderrBefore: string;
  /** Standard output around the elapsed time (one piece when it shows none). */
  stdout: string[];
  stderrAfter: string;
  exitCode: number;
}

/** Stands for the elapsed time while rendering the template: a duration no scan takes. */
const ELAPSED_PLACEHOLDER = 987_654_321_012;

/** Prints the recorded output when everything it depends on is unchanged; false when it cannot. */
export async function replayRecordedOutput(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const recorded = earlyRecordedOutput();
  if (!recorded || !holdsBesidesTheTree(recorded.output, env) || !(await recorded.treeUnchanged())) return false;
  const { output } = recorded;
  process.stderr.write(output.stderrBefore);
  process.stdout.write(output.stdout.join(String(Math.round(performance.now()))));
  process.stderr.write(output.stderrAfter);
  process.exitCode = output.exitCode;
  return true;
}

/** Whether the output can be printed as it stands, apart from the tree's stamps. A malformed record (a corrupt or foreign hint) cannot. */
function holdsBesidesTheTree(output: RecordedOutput, env: NodeJS.ProcessEnv): boolean {
  try {
    const printable =
      Array.isArray(output.stdout) &&
      output.stdout.length <= 2 &&
      [output.stderrBefore, output.stderrAfter, ...output.stdout].every((text) => typeof text === 'string') &&
      Number.isInteger(output.exitCode);
    const racyFromNs = BigInt(output.recordedAtNs) - RACY_WINDOW_NS;
    return (
      printable &&
      output.analyzer === analyzerFingerprint() &&
      output.color === colorEnabled(process.stdout, env) &&
      sameStamp(stampOf(output.report.path), output.report.stamp) &&
      output.roots.every(({ path, realPath }) => realPathOrNull(path) === realPath) &&
      output.inputs.every(({ path, stamp }) => {
        const now = stampOf(path) ?? null;
        return now === null ? stamp === null : sameStamp(now, stamp) && !isRacy(now, racyFromNs);
      })
    );
  } catch {
    return false;
  }
}

export interface PrintedScan {
  stderrBefore: string;
  stdout: string;
  stderrAfter: string;
  exitCode: number;
  elapsedMs: number;
  /** The same output rendered with another elapsed time. */
  renderWithElapsed: (elapsedMs: number) => Promise<string>;
  /** Files looked at besides the tree (config, baseline), existing or not. */
  inputs: readonly string[];
  /** The scanned roots, absolute. */
  roots: readonly string[];
}

/** Records a scan's output for replay, when its stdout is a template with at most the elapsed time as a hole. */
export async function recordPrintedScan(printed: PrintedScan, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const pieces = (await printed.renderWithElapsed(ELAPSED_PLACEHOLDER)).split(String(ELAPSED_PLACEHOLDER));
  if (pieces.length > 2 || pieces.join(String(printed.elapsedMs)) !== printed.stdout) return;
  recordOutput({
    analyzer: analyzerFingerprint(),
    color: colorEnabled(process.stdout, env),
    inputs: printed.inputs.map((path) => ({ path, stamp: stampOf(path) ?? null })),
    roots: printed.roots.map((path) => ({ path, realPath: realPathOrNull(path) })),
    recordedAtNs: String(BigInt(Date.now()) * 1_000_000n),
    stderrBefore: printed.stderrBefore,
    stdout: pieces,
    stderrAfter: printed.stderrAfter,
    exitCode: printed.exitCode,
  });
}
