/** Finds the text of a 1-based line in a scanned file, or undefined when the scan has no text for it. */
export type SourceLineLookup = (file: string, line: number) => string | undefined;

/** Splits each file into lines the first time a finding points into it. */
export function sourceLineLookup(texts: ReadonlyMap<string, string>): SourceLineLookup {
  const linesByFile = new Map<string, string[] | undefined>();
  return (file, line) => {
    if (!linesByFile.has(file)) linesByFile.set(file, texts.get(file)?.split(/\r?\n/));
    return linesByFile.get(file)?.[line - 1];
  };
}
