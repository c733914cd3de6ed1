/**
 * An ESLint language for C and the languages ringlint parses with tree-sitter (`language:
 * 'ringlint/c'`: the languages whose row names the `c` config), so one `eslint` run covers the C and
 * C++ files of a mixed repository. Parsing uses the file's language's grammar (by its extension;
 * C for names no row claims) to find comments for disable directives; the rules run that language's
 * analysis on the file's text. ESLint hands the language one file at a time, so macros and helpers
 * defined in other files are not followed here — that cross-file view is what `ringlint scan` adds.
 */
import { extname } from 'node:path';
import type { SyntaxNode } from '../c/parser.js';
import { compilerLineEnds } from '../files/line-ends.js';
import type { FrontEnd, Language } from '../languages/language.js';
import { LANGUAGES } from '../languages/table.js';
import { CSourceCode, type CComment, type CTranslationUnit } from './c-source-code.js';

/** The languages of this ESLint language, with their parsers (loaded with the plugin: ESLint parses synchronously). */
const TREE_SITTER_LANGUAGES: ReadonlyArray<{ language: Language; frontEnd: FrontEnd }> = await Promise.all(
  LANGUAGES.filter((language) => language.eslintConfig === 'c').map(async (language) => ({ language, frontEnd: await language.frontEnd() })),
);

function languageOfPath(path: string): { language: Language; frontEnd: FrontEnd } {
  const extension = extname(path).toLowerCase();
  return TREE_SITTER_LANGUAGES.find(({ language }) => language.extensions.includes(extension)) ?? TREE_SITTER_LANGUAGES[0]!; // C comes first
}

/** ESLint reads every file as text (`fileType: 'text'`, the only kind it has) and hands the language the decoded text. */
interface LanguageFile {
  body: string;
  path: string;
}

type ParseResult = { ok: true; ast: CTranslationUnit } | { ok: false; errors: Array<{ message: string; line: number; column: number }> };

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
    const text = compilerLineEnds(file.body);
    const { language, frontEnd } = languageOfPath(file.path);
    try {
      // C full of macros rarely parses cleanly; error nodes are fine, the analyzer copes with them.
      const tree = frontEnd.parse!(text); // a tree-sitter language
      const lines = text.split('\n');
      const ast: CTranslationUnit = {
        type: 'TranslationUnit',
        ringlintLanguage: language.id,
        range: [0, text.length],
        loc: { start: { line: 1, column: 0 }, end: { line: lines.length, column: (lines.at(-1) ?? '').length } },
        comments: commentsOf(text, tree.rootNode),
      };
      return { ok: true, ast };
    } catch (error) {
      return { ok: false, errors: [{ message: `cannot parse ${language.name}: ${error instanceof Error ? error.message : String(error)}`, line: 1, column: 1 }] };
    }
  },

  createSourceCode(file: LanguageFile, input: { ast: CTranslationUnit }): CSourceCode {
    return new CSourceCode({ text: file.body, ast: input.ast });
  },
};
