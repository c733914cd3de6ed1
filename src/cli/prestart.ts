/**
 * What a scan or review starts before the rest of the CLI loads. A scan the cache answers spends most
 * of its time checking the tree's stamps, and one it cannot answer walking the tree; neither needs
 * the CLI, so each starts here and runs on the other cores while commander, the commands and the scan
 * stack load (main.ts loads this module first). The result is a value, passed down to the scan.
 *
 * The command line is read by the command's own option table (lint-options.ts), the one commander
 * is built from. A line that does not follow it (help, a mistake) starts nothing: commander says what
 * is wrong. The walk starts when the scan's first path is a directory that ringscan walks: with
 * --no-ignore, or outside any git work tree (inside one, ignore files apply and Node walks). Whatever
 * the scan does not use is stopped.
 */
import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { EarlyStampCheck } from '../cache/early-stamp-check.js';
import { gitWorkTreeTop } from '../files/git-work-tree.js';
import { ringscanBinary } from '../native/ringscan-binary.js';
import { PrestartedWalk } from '../native/ringscan.js';
import { DEFAULT_MAX_FILE_SIZE } from '../scan/max-file-size.js';
import type { Prestart } from '../scan/run-scan.js';
import { LINT_OPTIONS, REVIEW_OPTIONS } from './lint-options.js';
import { fileSizeLimit } from './max-file-size-option.js';
import { optionNames, type OptionSpec } from './option-table.js';

const COMMAND_OPTIONS: Readonly<Record<CommandLineReading['command'], readonly OptionSpec[]>> = { scan: LINT_OPTIONS, review: [...REVIEW_OPTIONS, ...LINT_OPTIONS] };

/** What the prestart needs to know of a scan or review command line. */
export interface CommandLineReading {
  command: 'scan' | 'review';
  paths: string[];
  maxFileSize: number;
  /** False with --no-ignore. */
  ignore: boolean;
}

/** `stampCheck`: the one `args` called for, started first (cli/main.ts). */
export function startPrestart(args: readonly string[], cwd: string, stampCheck: EarlyStampCheck, env: NodeJS.ProcessEnv = process.env): Prestart {
  const reading = readCommandLine(args);
  if (!reading) return {};
  // With a check running the cache is likely to answer, and a walk would be work thrown away.
  const planned = stampCheck.running ? undefined : certainWalk(reading, cwd);
  const binary = planned && ringscanBinary(env);
  const walk = planned && binary ? PrestartedWalk.start(binary, [planned.root], planned.maxFileSize) : undefined;
  return { stampCheck, ...(walk ? { walk } : {}) };
}

/** `args` (process.argv without node and the script) read by the command's option table; undefined when they do not follow it. */
export function readCommandLine(args: readonly string[]): CommandLineReading | undefined {
  const command = args[0];
  if (command !== 'scan' && command !== 'review') return undefined;
  const specs = COMMAND_OPTIONS[command];
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const spec of specs) {
    const { long, short, takesValue } = optionNames(spec);
    options[long] = { type: takesValue ? 'string' : 'boolean', ...(short === undefined ? {} : { short }) };
  }
  const parsed = parseOrUndefined(args.slice(1), options);
  if (!parsed) return undefined;
  const { values, positionals } = parsed;
  // A value commander would refuse: it says so, and nothing starts.
  for (const spec of specs) {
    const value = values[optionNames(spec).long];
    if (typeof value !== 'string') continue;
    if (spec.choices && !spec.choices.includes(value)) return undefined;
    if (spec.parse && spec.parse.value(value) === undefined) return undefined;
  }
  const sizeText = values['max-file-size'];
  // A size given is a limit: checked above.
  const maxFileSize = typeof sizeText === 'string' ? fileSizeLimit(sizeText)! : DEFAULT_MAX_FILE_SIZE;
  return { command, paths: positionals, maxFileSize, ignore: values['no-ignore'] !== true };
}

function parseOrUndefined(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch {
    return undefined; // an option the command does not have, a value missing: commander says which
  }
}

/** The walk a scan of `reading` asks ringscan for first, when that is certain: its root (a real path) and size limit. */
export function certainWalk(reading: CommandLineReading, cwd: string): { root: string; maxFileSize: number } | undefined {
  if (reading.command !== 'scan') return undefined;
  const path = resolve(cwd, reading.paths[0] ?? '.');
  try {
    if (!statSync(path).isDirectory()) return undefined;
    if (reading.ignore && gitWorkTreeTop(path) !== undefined) return undefined;
    return { root: realpathSync(path), maxFileSize: reading.maxFileSize };
  } catch {
    return undefined; // the scan reports a missing path itself
  }
}
