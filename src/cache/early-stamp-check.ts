/**
 * The cache's stamp check for a command line, started first of all (cli/main.ts): on a scan the
 * cache answers, it is what the run waits for, so it loads only what it needs to start ringscan.
 * The command line's hint file (named from the arguments, directory and engine) says which stamps
 * file to check; only a command line that used the cache leaves one.
 */
import { basename, dirname, join } from 'node:path';
import { ringscanBinary } from '../native/ringscan-binary.js';
import { verifyStamps } from '../native/ringscan-verify.js';
import { defaultCacheDirectory, readCacheFile, writeCacheFile } from './cache-directory.js';
import type { StampCheck } from './stamps.js';

/**
 * What an invocation leaves for the next identical one (same arguments, directory and engine): the
 * stamps file its scan used.
 */
interface Hint {
  stampsFile: string;
  racyFromNs: string;
}

/**
 * The stamp check a command line's hint calls for, started before the CLI has parsed anything, and
 * the hint it leaves for the next identical command line. A scan's cache uses the running check
 * once, when it is for the same stamps file and racy bound: a second scan in the same process (after
 * --fix) looks for itself.
 */
export class EarlyStampCheck {
  private hint: Hint | undefined;
  private check: Promise<StampCheck | undefined> | undefined;

  private constructor(private readonly hintFile: string) {}

  /** The check `args` (a command line of scan or review that may use the cache) call for. */
  static start(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): EarlyStampCheck {
    const identity = JSON.stringify([cwd, args, ringscanBinary(env) ?? '']);
    const early = new EarlyStampCheck(join(defaultCacheDirectory(env), `hint-${fnv1a64(identity)}.json`));
    try {
      const hint = JSON.parse(readCacheFile(early.hintFile).toString('utf8')) as Hint;
      // A hint names a stamps file of its own cache, nothing else ringscan would open.
      if (!isStampsFileOf(dirname(early.hintFile), hint.stampsFile)) return early;
      const racyFromNs = BigInt(hint.racyFromNs);
      early.hint = hint;
      const binary = ringscanBinary(env);
      // A failed check only means the cache checks again itself.
      if (binary) early.check = verifyStamps(binary, hint.stampsFile, racyFromNs).catch(() => undefined);
    } catch {
      // No hint yet, or an unreadable one: this invocation writes it.
    }
    return early;
  }

  /** Whether a check is running: then the cache is likely to answer. */
  get running(): boolean {
    return this.check !== undefined;
  }

  /** The running check, when it is of this stamps file with this racy bound; once. */
  take(stampsFile: string, racyFromNs: bigint): Promise<StampCheck | undefined> | undefined {
    if (this.hint?.stampsFile !== stampsFile || this.hint.racyFromNs !== String(racyFromNs)) return undefined;
    const { check } = this;
    this.check = undefined;
    return check;
  }

  /** The hint for the next identical invocation: this stamps file, with this racy bound. */
  leaveHint(stampsFile: string, racyFromNs: bigint): void {
    if (this.hint?.stampsFile === stampsFile && this.hint.racyFromNs === String(racyFromNs)) return;
    this.hint = { stampsFile, racyFromNs: String(racyFromNs) };
    try {
      writeCacheFile(this.hintFile, JSON.stringify(this.hint));
    } catch {
      // Without a hint the next run checks the stamps a little later, that is all.
    }
  }
}

function isStampsFileOf(directory: string, stampsFile: unknown): boolean {
  return typeof stampsFile === 'string' && dirname(stampsFile) === directory && /^scan-[0-9a-f]{16}\.stamps$/.test(basename(stampsFile));
}

/** 64-bit FNV-1a of the text's UTF-16 code units, in hex: a hint file's name, without node:crypto. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let index = 0; index < text.length; index++) {
    hash = ((hash ^ BigInt(text.charCodeAt(index))) * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
