/**
 * What happens when standard output or standard error cannot be written. Node reports a failed
 * write as an 'error' event, which unhandled ends the process with a stack trace and exit status 1,
 * the code for "findings".
 *
 * - EPIPE, the reader went away (`ringlint scan | head -1`): nothing more is written there, nothing
 *   is said, and the run ends with its own exit status. grep and git die of SIGPIPE instead (141
 *   in a shell), which Node, ignoring SIGPIPE, cannot do; the run's own status keeps what
 *   `set -o pipefail` is for: a scan with findings still fails the pipeline, a clean one does not.
 * - Anything else (ENOSPC from `> /dev/full` or a full disk, EIO): said on standard error when
 *   that still works, and the run exits 2, a tool error, whatever it found: its report was lost.
 */
import { fsErrorReason, isFsError } from '../files/fs-error-reason.js';
import { EXIT_TOOL_ERROR } from './exit-status.js';

export function guardStandardStreams(): void {
  let lost = false;
  const guard = (stream: NodeJS.WriteStream, name: string) => {
    stream.on('error', (error) => {
      if (isFsError(error, 'EPIPE')) return;
      lost = true;
      if (stream !== process.stderr) process.stderr.write(`ringlint: cannot write to ${name}: ${fsErrorReason(error)}\n`);
    });
  };
  guard(process.stdout, 'standard output');
  guard(process.stderr, 'standard error');
  // Set last: the run may have set its own status after the failed write.
  process.on('exit', () => {
    if (lost) process.exitCode = EXIT_TOOL_ERROR;
  });
}
