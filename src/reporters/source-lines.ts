/** Finds the text of a 1-based line in a scanned file, or undefined when the scan has no text for it. */
export type SourceLineLookup = (file: string, line: number) => string | undefined;

/** Splits each file into lines the first time a finding points into it. */
export function sourceLineLookup(texts: ReadonlyMap<string, string>): SourceLineLookup {
  const linesByFile = new Map<string, string[]>();
  return (file, line) => {
    let lines = linesByFile.get(file);
    if (lines === undefined) {
      const text = texts.get(file);
      if (text === undefined) return undefined;
      lines = text.split(/\r?\n/);
      linesByFile.set(file, lines);
    }
    return lines[line - 1];
  };
}
