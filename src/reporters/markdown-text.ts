/**
 * Text from the scanned tree in the Markdown report (a pull-request comment, a job summary): file
 * names as code spans, messages as prose whose backtick-quoted code stays code. Whatever a name or
 * a quoted expression holds, it stays inside its span, its table cell and its line: it can neither
 * end the span or the cell, nor start a link, an image, raw HTML or a line of its own. Controls and
 * line breaks are first made visible as in the other human formats (terminal-text.ts).
 *
 * `where` is the construct the text lands in: inside a table cell a `|` ends the cell even in a
 * code span (GitHub's tables are split before inline parsing), so there it is escaped as `\|`,
 * which GitHub unescapes inside code spans too; elsewhere a code span shows its text as it is.
 */
import { visibleText } from './terminal-text.js';

export type MarkdownPlace = 'table' | 'text';

/** ASCII punctuation that could start a link, an image, emphasis, an escape or a cell's end; `<` is raw HTML's. */
const PROSE_SYNTAX = /[\\*[\]|]/g;

/** `text` as one code span, shown as it is. */
export function markdownCode(text: string, where: MarkdownPlace): string {
  let content = visibleText(text);
  if (where === 'table') content = content.replace(/\|/g, '\\|');
  // A fence longer than any run of backticks inside; padded when the text starts or ends with one
  // (or with a space at both ends, which CommonMark would strip).
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = content === '' || /^`|`$/.test(content) || (/^ .*[^ ].* $/s.test(content)) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** A message: prose, with each pair of backticks it holds shown as a code span (`markdownCode`). */
export function markdownProse(text: string, where: MarkdownPlace): string {
  const pieces = text.split('`');
  // An odd piece count: the backticks pair up. An even one: the last backtick is a literal one.
  const unpaired = pieces.length % 2 === 0 ? pieces.pop() : undefined;
  const shown = pieces.map((piece, index) => (index % 2 === 1 ? markdownCode(piece, where) : proseText(piece)));
  return shown.join('') + (unpaired === undefined ? '' : `\\\`${proseText(unpaired)}`);
}

function proseText(text: string): string {
  return visibleText(text).replace(PROSE_SYNTAX, (character) => `\\${character}`).replace(/</g, '&lt;');
}
