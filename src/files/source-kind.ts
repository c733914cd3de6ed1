import { extname } from 'node:path';

/** How a scanned file is analysed: as C, as C blocks of a document, or by the TypeScript analyzer. */
export type SourceKind = 'c' | 'markdown' | 'rst' | 'typescript';

const KIND_BY_EXTENSION: ReadonlyMap<string, SourceKind> = new Map([
  ['.c', 'c'],
  ['.h', 'c'],
  ['.md', 'markdown'],
  ['.markdown', 'markdown'],
  ['.rst', 'rst'],
  ['.ts', 'typescript'],
  ['.tsx', 'typescript'],
  ['.mts', 'typescript'],
  ['.cts', 'typescript'],
  ['.js', 'typescript'],
  ['.jsx', 'typescript'],
  ['.mjs', 'typescript'],
  ['.cjs', 'typescript'],
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

/** The extensions of a kind, without the dot (`c`, `h`), for globs such as the ESLint configs' `files`. */
export function extensionsOf(kind: SourceKind): string[] {
  return [...KIND_BY_EXTENSION].filter(([, candidate]) => candidate === kind).map(([extension]) => extension.slice(1));
}
