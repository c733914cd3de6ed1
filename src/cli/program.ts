/** The ringlint command line: commands, their options, and the exit codes of usage errors. */
import { Command } from './commander.js';
import { registerBaselineCommand } from './baseline-command.js';
import { registerReviewCommand } from './review-command.js';
import { registerScanCommand } from './scan-command.js';
import { registerCheckCommand } from '../runtime/check-command.js';
import type { Prestart } from '../scan/run-scan.js';
import { TOOL_VERSION } from '../version.js';

/** Runs the command line `argv` (as process.argv); `prestart`: what main.ts started for it before this module loaded. */
export async function runProgram(argv: readonly string[], prestart: Prestart): Promise<void> {
  const program = new Command('ringlint')
    .description('Finds AF_PACKET ring consumers that decide slot ownership without the TP_STATUS_USER bit.')
    .version(TOOL_VERSION)
    .showHelpAfterError()
    .exitOverride();

  registerScanCommand(program, prestart);
  registerReviewCommand(program, prestart);
  registerBaselineCommand(program);
  registerCheckCommand(program);

  try {
    await program.parseAsync(argv);
  } catch (error) {
    // commander signals help, --version and usage errors by throwing. Help asked for (`--help`,
    // `help [command]`) and --version exit 0; help shown because the command line was wrong (no
    // command, `help` of an unknown one) and every other usage error exit 2, as tool errors do.
    const { code, exitCode } = error as { code?: string; exitCode?: number };
    if (typeof code === 'string' && code.startsWith('commander.')) process.exit(exitCode === 0 ? 0 : 2);
    // Messages name files and may quote a config's values: made visible (terminal-text.ts). A config
    // error lists one problem a line, each made visible where it is built (config-file.ts).
    const { visibleText } = await import('../reporters/terminal-text.js');
    const message = error instanceof Error ? error.message : String(error);
    const lines = error instanceof Error && error.name === 'ConfigError' ? message.split('\n') : [message];
    process.stderr.write(`ringlint: ${lines.map(visibleText).join('\n')}\n`);
    process.exit(2);
  }
}
