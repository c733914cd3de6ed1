import { extname } from 'node:path';
import type { Language } from '../languages/language.js';
import { LANGUAGES } from '../languages/table.js';

/** Documents whose code blocks are analysed in the language each block names. */
export type DocumentKind = 'markdown' | 'rst';

/** How a scanned file is analysed: by a language's front end (its row's id: `c`, `cpp`, `typescript`), or as a document's code blocks. */
export type SourceKind = string;

const DOCUMENT_EXTENSIONS: ReadonlyArray<readonly [string, DocumentKind]> = [
  ['.md', 'markdown'],
  ['.markdown', 'markdown'],
  ['.rst', 'rst'],
];

const KIND_BY_EXTENSION: ReadonlyMap<string, SourceKind> = new Map([
  ...LANGUAGES.flatMap((language) => language.extensions.map((extension) => [extension, language.id] as const)),
  ...DOCUMENT_EXTENSIONS,
]);

/** Every extension a walk reads (lower case, with the dot): a hook's file filter, messages that say what ringlint reads. */
export const SOURCE_EXTENSIONS: readonly string[] = [...KIND_BY_EXTENSION.keys()];

/** Declaration files describe code that lives elsewhere; there is nothing in them to consume a ring. */
const DECLARATION_FILE = /\.d\.[cm]?ts$/i;

/** A TypeScript declaration file: not analysed itself, but read for the types of the code that imports it. */
export function isDeclarationFile(path: string): boolean {
  return DECLARATION_FILE.test(path);
}

/** The kind a directory walk picks a file up as, or undefined when the walk leaves it alone. */
export function sourceKindOf(path: string): SourceKind | undefined {
  if (isDeclarationFile(path)) return undefined;
  return KIND_BY_EXTENSION.get(extname(path).toLowerCase());
}

export function isDocumentKind(kind: SourceKind): kind is DocumentKind {
  return DOCUMENT_EXTENSIONS.some(([, document]) => document === kind);
}

/** The language a file of this kind is analysed in; undefined for documents (and no kind). */
export function languageOfKind(kind: SourceKind | undefined): Language | undefined {
  return LANGUAGES.find((language) => language.id === kind);
}

/** The language of a file by its name; undefined for documents and files no walk takes. */
export function languageOf(path: string): Language | undefined {
  return languageOfKind(sourceKindOf(path));
}
