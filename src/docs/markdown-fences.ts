/**
 * Fenced code blocks of a Markdown document, as CommonMark's reference parser (commonmark.js, the
 * algorithm GitHub's cmark-gfm ports) finds them: in block quotes and list items too, ended where
 * their container ends, and not when indented as code. For each content line, where the block's
 * own text starts: what precedes it there (`> `, a list item's indentation, the fence's own
 * indentation) belongs to the document's containers, not to the code.
 *
 * commonmark.js, not micromark (the parser under mdast): on a document of many C blocks micromark
 * took most of a scan's budget (`npm run bench:hostile` times such a document).
 */
import { createRequire } from 'node:module';

/** A document's code block (a Markdown fence, a reStructuredText literal block); lines are 0-based document line indexes. */
export interface CodeBlock {
  /**
   * The Markdown info string, as CommonMark reads it (trimmed, escapes resolved), or the
   * reStructuredText directive argument: its first word names the block's language.
   */
  info: string;
  /** The block's first content line (in Markdown the line after the opening fence). */
  firstLine: number;
  /** Its last content line; `firstLine - 1` for a block without any. */
  lastLine: number;
  /** For each content line, the index of the character where the block's own text starts, when something else precedes it (a Markdown container's prefix); else the whole line. */
  contentStarts?: readonly number[];
}

/** What ringlint reads of commonmark.js's syntax tree (the package ships no types). */
interface CommonMarkNode {
  type: string;
  /** Fenced blocks: the info string (empty when there is none); indented code blocks: null. */
  info: string | null;
  /** The block's text without container prefixes, each line ended by `\n`. */
  literal: string | null;
  /** 1-based [line, column] of the block's first and last characters. */
  sourcepos: [[number, number], [number, number]];
}

interface CommonMark {
  Parser: new () => { parse(text: string): { walker(): { next(): { entering: boolean; node: CommonMarkNode } | null } } };
}

// Required, not imported: the package ships no type declarations, and its CommonJS build is one file.
const commonmark = createRequire(import.meta.url)('commonmark') as CommonMark;

export function fencedCodeBlocks(lines: readonly string[]): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const walker = new commonmark.Parser().parse(lines.join('\n')).walker();
  for (let step = walker.next(); step; step = walker.next()) {
    const { node } = step;
    if (!step.entering || node.type !== 'code_block' || node.info === null) continue;
    const code = (node.literal ?? '').split('\n').slice(0, -1); // each line ends with \n
    const firstLine = node.sourcepos[0][0]; // the opening fence's 1-based line is the first content line's 0-based one
    blocks.push({ info: node.info, firstLine, lastLine: firstLine + code.length - 1, contentStarts: code.map((text, index) => contentStart(lines[firstLine + index] ?? '', text)) });
  }
  return blocks;
}

/**
 * Where `content`, a line of a block's text, starts in its document `line`. The parser keeps the
 * line's own characters after the containers' prefixes, except that a tab it consumed in part
 * becomes spaces: the line then ends with the content's text from its first non-blank character,
 * and the whitespace before that is the code's indentation or the prefix's, blank either way.
 */
function contentStart(line: string, content: string): number {
  if (line.endsWith(content)) return line.length - content.length;
  const text = content.trimStart();
  return line.endsWith(text) ? line.length - text.length : line.length;
}
