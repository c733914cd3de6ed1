/**
 * Where ringscan (ringscan.c beside this file) is: the binary when it was built and the scan may use
 * it. Light: the cache's early stamp check needs it before anything else loads.
 */
import { accessSync, constants } from 'node:fs';
import { packagePath } from '../package-root.js';

/** Where build.sh puts it (dist/native/ringscan); the analyzer fingerprint hashes it too. */
export const RINGSCAN_PATH = packagePath('dist', 'native', 'ringscan');

let warnedOf: string | undefined;

/** RINGLINT_PREFILTER's values: `ringscan` (the default, named by tests and benchmarks) and `node`. */
const ENGINES = ['ringscan', 'node'];

/**
 * The binary's path when it was built, unless RINGLINT_PREFILTER=node asks for the engine of
 * machines without a C compiler (tests and comparisons run both). The one reader of that variable.
 */
export function ringscanBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const engine = env.RINGLINT_PREFILTER;
  if (engine === 'node') return undefined;
  // An engine that is gone (ripgrep, workers) or misspelt is said once: silence made it look in use.
  if (engine && !ENGINES.includes(engine) && warnedOf !== engine) {
    warnedOf = engine;
    process.stderr.write(`ringlint: warning: RINGLINT_PREFILTER=${engine} is not an engine (${ENGINES.join(', ')}); using ringscan where it is built\n`);
  }
  // Asked afresh each time: an access(2) costs nothing beside the walk it decides.
  try {
    accessSync(RINGSCAN_PATH, constants.X_OK);
    return RINGSCAN_PATH;
  } catch {
    return undefined;
  }
}
