/**
 * C and C++ code blocks in documentation, as standalone units that keep the document's lines and
 * columns, each in the language its label names (the languages' rows in src/languages/ list their
 * labels: ```` ```cpp ```` is C++, an unlabelled block C).
 *
 * Documentation teaches the bug too: the kernel's packet_mmap.rst shows
 * `if (status == TP_STATUS_KERNEL) retval = poll(...)`, and READMEs copy it. Each code block
 * becomes one C unit of its own lines, starting one line before the block (its `rowBase`): the
 * analysis places findings in the document through it. Each line keeps its columns: what precedes
 * the block's text on a line (a block quote's `> `, a list item's indentation) becomes spaces, so
 * the C parser sees none of it and a finding's column in the unit is its column in the document.
 * A unit is as long as its block, so building and parsing the units of a document is linear in its
 * size however many blocks it has.
 *
 * Which blocks count as C:
 * - Markdown: fenced blocks (``` or ~~~) anywhere CommonMark finds them, in block quotes and list
 *   items too (markdown-fences.ts), whose info string is empty or names a language of the table
 *   (c, h; cpp, c++, cc, cxx, hpp, hh, hxx; case does not matter; only the first word counts, so
 *   `c bad` is C). Every other language (sh, python, diff, json, text, …) is skipped. Empty info
 *   strings are kept, as C, because READMEs often leave C unlabelled; a shell transcript in one
 *   parses as errors and yields nothing.
 *   Indented (4-space) code blocks are not scanned: they name no language, and hold shell sessions
 *   and output as often as C.
 * - reStructuredText: literal blocks introduced by `::` at the end of a paragraph (`Text::`,
 *   `Text ::` and a lone `::`), and `.. code-block::`, `.. code::` and `.. sourcecode::`
 *   directives whose language is empty or one of those above. A `.. highlight:: <lang>` directive
 *   sets the language of the `::` blocks after it, as Sphinx does; without one they are C,
 *   because that is what the kernel's networking docs hold.
 *
 * Fragments are often statements rather than declarations. tree-sitter-c accepts statements at
 * file scope, but they then belong to no function, and the analysis is per function (barriers,
 * what a decision leads to). So a fragment that has parse errors or statements at file scope is
 * wrapped in `void ringlint_fragment(void) { … }` without moving anything: the opening line is the
 * unit's first line (the document's fence or blank line before the block) and the closing brace
 * the line after the block. The wrapped version is kept only if it parses with fewer errors, or as
 * few errors and fewer file-scope statements, in the block's language.
 */
import type { NativeNode } from '../c/parser.js';
import type { DocumentKind } from '../files/source-kind.js';
import type { FrontEnd, Language } from '../languages/language.js';
import { LANGUAGES, languageOfFenceLabel } from '../languages/table.js';
import { FRAGMENT_FUNCTION } from '../c/program.js';
import { syntaxErrorCount } from '../tree-sitter/syntax-errors.js';
import { fencedCodeBlocks, type CodeBlock } from './markdown-fences.js';

/** The parsers of the languages blocks can be in (this module loads when a scan meets a document). */
const FRONT_ENDS: ReadonlyMap<Language, FrontEnd> = new Map(
  await Promise.all(LANGUAGES.filter((language) => language.fenceLabels.length > 0).map(async (language) => [language, await language.frontEnd()] as const)),
);

export const FRAGMENT_WRAPPER_OPEN = `void ${FRAGMENT_FUNCTION}(void) {`;
export const FRAGMENT_WRAPPER_CLOSE = '}';

/** A document's code block: its own text at once, its unit (which takes parsing to choose) on demand. */
export interface CBlock {
  /** The language its label names. */
  readonly language: Language;
  /** The block's lines as the C parser sees them (container prefixes blanked): what a byte search of the block looks at. */
  readonly source: string;
  /** The 0-based document line of the unit's first line, the line before the block. */
  readonly rowBase: number;
  /** The block as a C unit from `rowBase` on, plain or wrapped; chosen on the first call. */
  unitText(): string;
}

/**
 * The document's C blocks, none judged yet: a scan parses only the blocks whose own bytes can
 * matter, as it parses only such files.
 */
export function findCBlocks(text: string, kind: DocumentKind): CBlock[] {
  // tree-sitter counts rows by '\n' alone, so that is the line split that keeps numbering equal.
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const blocks = kind === 'markdown' ? fencedCodeBlocks(lines) : findRstCBlocks(lines);
  return blocks.flatMap((block) => {
    const language = labelledLanguage(block.info);
    if (!language) return [];
    const code = lines.slice(block.firstLine, block.lastLine + 1).map((line, index) => {
      const start = block.contentStarts?.[index] ?? 0;
      return start === 0 ? line : ' '.repeat(start) + line.slice(start);
    });
    if (!code.some((line) => line.trim() !== '')) return [];
    let unit: string | undefined;
    const parse = FRONT_ENDS.get(language)!.parse!; // a language with labels is parsed by tree-sitter
    return [{ language, source: code.join('\n'), rowBase: block.firstLine - 1, unitText: () => (unit ??= toFragment(code, parse)) }];
  });
}

/** The language an info string or directive argument names (C when it says nothing); undefined for any other. */
function labelledLanguage(label: string): Language | undefined {
  // Pandoc-style `{.c}` and attribute suffixes (`c title="x"`) name the language first.
  const firstWord = label.trim().replace(/^\{\s*\.?/, '').split(/[\s{},]/)[0] ?? '';
  return languageOfFenceLabel(firstWord.toLowerCase());
}

// ---------------------------------------------------------------------------------------------
// reStructuredText

const CODE_DIRECTIVE = /^\s*\.\.\s+(?:code-block|code|sourcecode)::(.*)$/;
const HIGHLIGHT_DIRECTIVE = /^\s*\.\.\s+highlight::(.*)$/;
const EXPLICIT_MARKUP = /^\s*\.\.(\s|$)/;
const DIRECTIVE_OPTION = /^\s*:[^:\s][^:]*:/;
// Bullets (`-`, `*`, `+`, `•`) and enumerators (`1.`, `#.`, `(a)`, `iv)`) before a paragraph's text.
const LIST_MARKER = /^(\s*)(?:[-*+\u2022]|\(?(?:\d+|#|[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)])\s+/;

function findRstCBlocks(lines: readonly string[]): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let literalBlockLabel = '';
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? '';
    const directive = CODE_DIRECTIVE.exec(line);
    let block: CodeBlock | undefined;
    if (directive) {
      const directiveIndent = indentWidth(line);
      let bodyStart = index + 1;
      while (bodyStart < lines.length && isDirectiveOption(lines[bodyStart] ?? '', directiveIndent)) bodyStart += 1;
      block = indentedBlockAfter(lines, bodyStart, directiveIndent, directive[1] ?? '');
    } else if (!EXPLICIT_MARKUP.test(line) && line.trimEnd().endsWith('::')) {
      block = indentedBlockAfter(lines, index + 1, paragraphIndent(lines, index), literalBlockLabel);
    } else {
      literalBlockLabel = HIGHLIGHT_DIRECTIVE.exec(line)?.[1] ?? literalBlockLabel;
    }
    if (block) blocks.push(block);
    index = block ? block.lastLine + 1 : index + 1;
  }
  return blocks;
}

function isDirectiveOption(line: string, directiveIndent: number): boolean {
  return line.trim() !== '' && indentWidth(line) > directiveIndent && DIRECTIVE_OPTION.test(line);
}

/**
 * The block labelled `info` indented deeper than `outerIndent` that starts after at least one blank
 * line at `from`, up to the last non-blank line before the text returns to `outerIndent` or less.
 */
function indentedBlockAfter(lines: readonly string[], from: number, outerIndent: number, info: string): CodeBlock | undefined {
  let first = from;
  while (first < lines.length && (lines[first] ?? '').trim() === '') first += 1;
  if (first === from || first >= lines.length) return undefined;
  if (indentWidth(lines[first] ?? '') <= outerIndent) return undefined;
  let last = first;
  for (let index = first + 1; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (line.trim() === '') continue;
    if (indentWidth(line) <= outerIndent) break;
    last = index;
  }
  return { firstLine: first, lastLine: last, info };
}

/** Indentation of the paragraph ending at `lastLine`: where its first line's text starts. */
function paragraphIndent(lines: readonly string[], lastLine: number): number {
  let first = lastLine;
  while (first > 0 && (lines[first - 1] ?? '').trim() !== '') first -= 1;
  const firstLine = lines[first] ?? '';
  const marker = LIST_MARKER.exec(firstLine);
  // Text after a list marker is the item's body; its literal blocks are indented relative to it.
  return marker ? indentWidth(marker[0].replace(/\S/g, ' ')) : indentWidth(firstLine);
}

/** Leading whitespace width; tabs advance to the next multiple of 8, as docutils expands them. */
function indentWidth(line: string): number {
  let width = 0;
  for (const char of line) {
    if (char === ' ') width += 1;
    else if (char === '\t') width = (Math.floor(width / 8) + 1) * 8;
    else break;
  }
  return width;
}

// ---------------------------------------------------------------------------------------------
// Building the unit

/** The unit of a block's `code` lines: a line before them (empty, or the wrapper's opening) and, wrapped, one after. */
function toFragment(code: readonly string[], parse: NonNullable<FrontEnd['parse']>): string {
  const plainText = ['', ...code].join('\n');
  const plainQuality = parseQuality(plainText, parse);
  if (plainQuality.errors === 0 && plainQuality.fileScopeStatements === 0) return plainText;
  const wrappedText = [FRAGMENT_WRAPPER_OPEN, ...code, FRAGMENT_WRAPPER_CLOSE].join('\n');
  const wrappedQuality = parseQuality(wrappedText, parse);
  const wrappedIsBetter =
    wrappedQuality.errors < plainQuality.errors ||
    (wrappedQuality.errors === plainQuality.errors &&
      wrappedQuality.fileScopeStatements < plainQuality.fileScopeStatements);
  return wrappedIsBetter ? wrappedText : plainText;
}

interface ParseQuality {
  /** ERROR and MISSING nodes. */
  errors: number;
  /** Statements tree-sitter-c accepted outside any function. */
  fileScopeStatements: number;
}

const STATEMENT_TYPES = new Set([
  'expression_statement',
  'if_statement',
  'switch_statement',
  'while_statement',
  'do_statement',
  'for_statement',
  'return_statement',
  'break_statement',
  'continue_statement',
  'goto_statement',
  'compound_statement',
  'labeled_statement',
  'case_statement',
  'attributed_statement',
]);

const PREPROCESSOR_CONTAINERS = new Set(['preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef']);

function parseQuality(text: string, parse: NonNullable<FrontEnd['parse']>): ParseQuality {
  const root = parse(text).rootNode;
  let fileScopeStatements = 0;
  const countStatements = (container: NativeNode): void => {
    for (const child of container.namedChildren) {
      if (STATEMENT_TYPES.has(child.type)) fileScopeStatements += 1;
      else if (PREPROCESSOR_CONTAINERS.has(child.type)) countStatements(child);
    }
  };
  countStatements(root);
  return { errors: syntaxErrorCount(root), fileScopeStatements };
}
