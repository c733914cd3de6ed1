/**
 * An ESLint language for C (`language: 'ringlint/c'`), so one `eslint` run covers the C files of
 * a mixed repository. Parsing uses tree-sitter-c (the C front end's parser) to find comments for
 * disable directives; the rules run the C analyzer on the file's text. ESLint hands the language
 * one file at a time, so macros and helpers defined in other files are not followed here — that
 * cross-file view is what `ringlint scan` adds.
 */
import { parseC, type SyntaxNode } from '../c/parser.js';
import { compilerLineEnds } from '../files/line-ends.js';
import { CSourceCode, type CComment, type CTranslationUnit } from './c-source-code.js';

interface LanguageFile {
  body: string | Uint8Array;
  path: string;
}

type ParseResult = { ok: true; ast: CTranslationUnit } | { ok: false; errors: Array<{ message: string; line: number; column: number }> };

function textOf(file: LanguageFile): string {
  return typeof file.body === 'string' ? file.body : new TextDecoder().decode(file.body);
}

/** The file's comments; tree-sitter's indices and columns count UTF-16 code units, as ESLint's do. */
function commentsOf(text: string, root: SyntaxNode): CComment[] {
  return root.descendantsOfType('comment').map((node) => {
    const raw = text.slice(node.startIndex, node.endIndex);
    const block = raw.startsWith('/*');
    return {
      type: block ? 'Block' : 'Line',
      value: block ? raw.slice(2, raw.endsWith('*/') ? -2 : undefined) : raw.slice(2),
      range: [node.startIndex, node.endIndex],
      loc: {
        start: { line: node.startPosition.row + 1, column: node.startPosition.column },
        end: { line: node.endPosition.row + 1, column: node.endPosition.column },
      },
    };
  });
}

export const cLanguage = {
  fileType: 'text' as const,
  lineStart: 1 as const,
  columnStart: 0 as const,
  nodeTypeKey: 'type',
  visitorKeys: { TranslationUnit: [] as string[] },
  defaultLanguageOptions: {},

  /** There are none; options meant for JS (from a shared base config) are ignored rather than refused. */
  validateLanguageOptions(): void {},

  parse(file: LanguageFile): ParseResult {
    // Lines as gcc counts them, as CSourceCode and the analysis do (line-ends.ts); the offsets are the file's.
    const text = compilerLineEnds(textOf(file));
    try {
      // C full of macros rarely parses cleanly; error nodes are fine, the analyzer copes with them.
      const tree = parseC(text);
      const lines = text.split('\n');
      const ast: CTranslationUnit = {
        type: 'TranslationUnit',
        range: [0, text.length],
        loc: { start: { line: 1, column: 0 }, end: { line: lines.length, column: (lines.at(-1) ?? '').length } },
        comments: commentsOf(text, tree.rootNode),
      };
      return { ok: true, ast };
    } catch (error) {
      return { ok: false, errors: [{ message: `cannot parse C: ${error instanceof Error ? error.message : String(error)}`, line: 1, column: 1 }] };
    }
  },

  createSourceCode(file: LanguageFile, input: { ast: CTranslationUnit }): CSourceCode {
    return new CSourceCode({ text: textOf(file), ast: input.ast });
  },
};
