/**
 * Where ringscan (ringscan.c beside this file) is and what it is told: the binary when it was built
 * and the scan may use it, and the arguments that say which files it takes and what it looks for.
 */
import { accessSync, constants } from 'node:fs';
import { languageOfKind, SOURCE_EXTENSIONS, sourceKindOf, type SourceKind } from '../files/source-kind.js';
import { LANGUAGES } from '../languages/table.js';
import { packagePath } from '../package-root.js';

/** Where build.sh puts it (dist/native/ringscan); the analyzer fingerprint hashes it too. */
export const RINGSCAN_PATH = packagePath('dist', 'native', 'ringscan');

let built: boolean | undefined;
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
  if (built === undefined) {
    try {
      accessSync(RINGSCAN_PATH, constants.X_OK);
      built = true;
    } catch {
      built = false;
    }
  }
  return built ? RINGSCAN_PATH : undefined;
}

/**
 * What ringscan takes and looks for, from the language table and the status-word vocabulary (it
 * keeps no copy): each extension with how ringscan treats it (c: read and searched, quoted
 * includes too; m, r: documents, searched; t: stamped only), and the needles of the languages whose
 * files the byte search selects.
 */
export function vocabularyArguments(): string[] {
  const byLetter = new Map<string, string[]>();
  for (const extension of SOURCE_EXTENSIONS) {
    const letter = kindLetter(sourceKindOf(`x${extension}`)!); // every extension has a kind
    byLetter.set(letter, [...(byLetter.get(letter) ?? []), extension.slice(1)]);
  }
  const needles = LANGUAGES.filter((language) => language.selection === 'needles').flatMap((language) => language.vocabulary.needles);
  const texts = (unambiguous: boolean): string => [...new Set(needles.filter((needle) => needle.unambiguous === unambiguous).map((needle) => needle.text))].join(',');
  const lookAlikes = texts(false);
  return [
    '--kinds', [...byLetter].map(([letter, extensions]) => `${letter}=${extensions.join(',')}`).join(';'),
    '--words', texts(true),
    ...(lookAlikes ? ['--look-alikes', lookAlikes] : []),
  ];
}

/** How ringscan treats files of a kind (see `vocabularyArguments`). */
export function kindLetter(kind: SourceKind): string {
  if (kind === 'markdown') return 'm';
  if (kind === 'rst') return 'r';
  return languageOfKind(kind)?.selection === 'every-file' ? 't' : 'c';
}
