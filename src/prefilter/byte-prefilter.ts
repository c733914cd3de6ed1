/**
 * The first stage of a scan: which files can matter at all. A file matters when its bytes mention
 * the status word (or a name the analysis asks for), and also when it cannot be read as text —
 * binary or unreadable files are read again by the scan so that they are reported, not dropped.
 */
import { LANGUAGES } from '../languages/table.js';
import { needleTexts } from '../model/status-vocabulary.js';
import { ripgrepAvailable, searchWithRipgrep } from './ripgrep-engine.js';
import { searchWithWorkers } from './worker-engine.js';

/** Bytes that make a file of a byte-searched language (C, C++) or a document worth parsing: their vocabularies' needles. */
export const STATUS_NEEDLES: readonly string[] = [
  ...new Set(LANGUAGES.filter((language) => language.selection === 'needles').flatMap((language) => needleTexts(language.vocabulary))),
];

export interface PrefilterQuery {
  /** Fixed strings: a file containing any of them is selected. */
  needles: readonly string[];
  /** Names whose macro or function *definition* in a file selects it. */
  definitions: readonly string[];
  /** Regular expressions (Rust and JS syntax alike); a line matching one selects the file. */
  patterns?: readonly string[];
}

/**
 * `#include "ring.inc"`: a file included by quoted path is scanned as C whatever its extension, so
 * the files that include something other than a `.h` must be read to find it.
 */
export const NON_HEADER_INCLUDE = 'include[ \\t]*"[^"\\n]*([^h"\\n]|[^.\\n]h)"';

/** A file to search: `path` as the scan walked it, `realPath` as the file system resolves it. */
export interface PrefilterTarget {
  path: string;
  realPath: string;
}

export interface PrefilterEngine {
  /**
   * Returns the `path`s of the targets selected. `roots` are real directories that hold most
   * targets: an engine may search them whole and keep only the targets.
   */
  search(targets: readonly PrefilterTarget[], query: PrefilterQuery, roots: readonly string[]): Promise<Set<string>>;
}

/** Fewer files than this are searched in the calling thread: cheaper than starting a process or a worker. */
const IN_PROCESS_AT_MOST = 32;

/**
 * ripgrep when installed (it reads a tree at disk speed), else a pool of worker threads; asked on
 * the first search of many files, which a scan ringscan served never makes. RINGLINT_PREFILTER
 * (`ripgrep`, `workers`: for tests and comparisons) makes every search use that engine.
 */
export function chooseEngine(env: NodeJS.ProcessEnv = process.env): PrefilterEngine {
  return {
    search: async (targets, query, roots) => {
      if (targets.length <= IN_PROCESS_AT_MOST && env.RINGLINT_PREFILTER !== 'ripgrep' && env.RINGLINT_PREFILTER !== 'workers') {
        const { bytesSelectedBy } = await import('./byte-search.js');
        const selects = bytesSelectedBy(query);
        return new Set(targets.filter((target) => selects(target.path)).map((target) => target.path));
      }
      return ripgrepAvailable() ? searchWithRipgrep(targets, query, roots) : searchWithWorkers(targets.map((target) => target.path), query);
    },
  };
}

/** A regular expression source (Rust and JS syntax alike) matching a definition of one of `names`. */
export function definitionPattern(names: readonly string[]): string {
  const alternatives = names.map((name) => name.replace(/[^A-Za-z0-9_]/g, '')).join('|');
  // `#define NAME(` or a function definition head `… NAME(…` at the start of a line, C++'s
  // `bool Ring::NAME(` and `std::pair<int, int> NAME(` too.
  return `#\\s*define\\s+(?:${alternatives})\\b|^[A-Za-z_][\\w \\t\\*:&<>,]*\\b(?:${alternatives})\\s*\\(`;
}
