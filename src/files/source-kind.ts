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

/** Every extension a directory walk picks up, for messages that say what ringlint reads. */
export const SCANNED_EXTENSIONS: readonly string[] = [...KIND_BY_EXTENSION.keys()];

/** Declaration files describe code that lives elsewhere; there is nothing in them to consume a ring. */
const DECLARATION_FILE = /\.d\.[cm]?ts$/i;

/** The kind a directory walk picks a file up as, or undefined when the walk leaves it alone. */
export function sourceKindOf(path: string): SourceKind | undefined {
  if (DECLARATION_FILE.test(path)) return undefined;
  return KIND_BY_EXTENSION.get(extname(path).toLowerCase());
}
