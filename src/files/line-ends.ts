/**
 * Lines as a C compiler counts them. gcc ends a line at LF, at CRLF and at a lone CR (a file saved
 * with classic Mac line ends is three lines to gcc where it is one to tree-sitter, whose rows count
 * LF alone, as do the text positions, code frames, suppression comments and review's line diff).
 *
 * So a source text is analysed with each lone CR read as LF, once, where it is read: the same
 * length and the same offsets, so findings and fixes point at the file's own characters, and every
 * consumer of the text counts lines as gcc does. Only writing back needs the bytes: --fix edits the
 * file's bytes, never this text (fix/byte-edits.ts matches the two through this function).
 */
export function compilerLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(LONE_CR, '\n') : text;
}

/** A line end as `compilerLineEnds` counts them, for whoever splits the original text into lines (ESLint). */
export const COMPILER_LINE_END = /\r\n?|\n/u;

/** Whether `compilerLineEnds` changes `text`. */
export function hasLoneCarriageReturn(text: string): boolean {
  return text.includes('\r') && LONE_CR_TEST.test(text);
}

const LONE_CR = /\r(?!\n)/g;
const LONE_CR_TEST = /\r(?!\n)/;
