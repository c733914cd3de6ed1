/**
 * The first stage of a scan: which files can matter at all. A file matters when its bytes mention
 * the status word (or a name the analysis asks for), and also when it cannot be read as text —
 * binary or unreadable files are read again by the scan so that they are reported, not dropped.
 */
import { LANGUAGES } from '../languages/table.js';

/** Bytes that make a file of a byte-searched language (C, C++) or a document worth parsing: their vocabularies' needles. */
export const STATUS_NEEDLES: readonly string[] = [
  ...new Set(LANGUAGES.filter((language) => language.selection === 'needles').flatMap((language) => language.vocabulary.needles.map((needle) => needle.text))),
];

export interface PrefilterQuery {
  /** Fixed strings: a file containing any of them is selected. */
  needles: readonly string[];
  /** Names whose macro or function *definition* in a file selects it. */
  definitions: readonly string[];
  /**
   * Also select files that include by quoted path something other than a `.h` (`#include
   * "ring.inc"`): the included file is scanned as C whatever its extension, and only its includer
   * names it, so the includer must be read to find it.
   */
  nonHeaderIncludes?: boolean;
}

/** A regular expression source matching a definition of one of `names`. */
export function definitionPattern(names: readonly string[]): string {
  const alternatives = names.map((name) => name.replace(/[^A-Za-z0-9_]/g, '')).join('|');
  // `#define NAME(` or a function definition head `… NAME(…` at the start of a line, C++'s
  // `bool Ring::NAME(` and `std::pair<int, int> NAME(` too.
  return `#\\s*define\\s+(?:${alternatives})\\b|^[A-Za-z_][\\w \\t\\*:&<>,]*\\b(?:${alternatives})\\s*\\(`;
}
