import { extname } from 'node:path';

/** How a scanned file is turned into C analysis units. */
export type SourceKind = 'c' | 'markdown' | 'rst';

const KIND_BY_EXTENSION: ReadonlyMap<string, SourceKind> = new Map([
  ['.c', 'c'],
  ['.h', 'c'],
  ['.md', 'markdown'],
  ['.markdown', 'markdown'],
  ['.rst', 'rst'],
]);

/** The kind a directory walk picks a file up as, or undefined when the walk leaves it alone. */
export function sourceKindOf(path: string): SourceKind | undefined {
  return KIND_BY_EXTENSION.get(extname(path).toLowerCase());
}
