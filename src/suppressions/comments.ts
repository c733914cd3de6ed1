/**
 * The comments of C-family source (C, C++, JavaScript, TypeScript): `//` to the end of the line and
 * `/* … *\/`, skipping string, character and template literals. Literals end at a line break at the
 * latest, so a stray quote in prose (a Markdown document's text) costs at most that line.
 */
import { LineIndex } from '../fix/text-positions.js';

export interface SourceComment {
  /** The comment's text without its delimiters. */
  body: string;
  /** 1-based lines of the comment's first and last character. */
  line: number;
  endLine: number;
  /** 1-based column (UTF-16 code units) of the comment's first character. */
  column: number;
  block: boolean;
}

export function findComments(text: string): SourceComment[] {
  const lines = new LineIndex(text);
  const comments: SourceComment[] = [];
  /** The comment from `start` to `end` (exclusive) whose body ends at `bodyEnd`. */
  const add = (start: number, bodyEnd: number, end: number, block: boolean): void => {
    const { line, column } = lines.positionOf(start);
    comments.push({ body: text.slice(start + 2, bodyEnd), line, endLine: block ? lines.positionOf(end).line : line, column, block });
  };
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    const next = text[index + 1];
    if (char === '/' && next === '/') {
      const newline = text.indexOf('\n', index);
      const end = newline === -1 ? text.length : newline;
      add(index, end, end, false);
      index = end;
    } else if (char === '/' && next === '*') {
      const close = text.indexOf('*/', index + 2);
      const end = close === -1 ? text.length : close + 2;
      add(index, close === -1 ? text.length : close, end, true);
      index = end;
    } else if (char === "'" && isDigitSeparator(text, index)) {
      index++;
    } else if (char === '"' || char === "'" || char === '`') {
      index = literalEnd(text, index, char);
    } else {
      index++;
    }
  }
  return comments;
}

/**
 * C++14's digit separator (`1'000'000`, `0xFF'FF`): a quote inside a number, which starts with a
 * digit (a character literal's prefix, `u8'a'` or `L'a'`, starts with a letter). Neither C nor
 * JavaScript has a quote after a number's characters.
 */
function isDigitSeparator(text: string, quote: number): boolean {
  let start = quote;
  while (start > 0 && /[0-9A-Za-z_'.]/.test(text[start - 1]!)) start--;
  return start < quote && /[0-9]/.test(text[start] === '.' ? (text[start + 1] ?? '') : text[start]!);
}

/** Just past the closing quote, or the line break (exclusive) when the literal is not closed on its line. */
function literalEnd(text: string, start: number, quote: string): number {
  for (let index = start + 1; index < text.length; index++) {
    const char = text[index];
    if (char === '\\') index++;
    else if (char === quote) return index + 1;
    else if (char === '\n') return index;
  }
  return text.length;
}
