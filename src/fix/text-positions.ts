/**
 * Converting between a text's offsets (UTF-16 code units, as JavaScript strings index) and 1-based
 * line/column positions, which a front end may count in UTF-8 bytes or UTF-16 units.
 */

export interface TextPosition {
  line: number;
  /** 1-based, UTF-16 code units (SARIF's `utf16CodeUnits`). */
  column: number;
}

export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) this.lineStarts.push(index + 1);
  }

  /** The offset of a 1-based line and column, or undefined when the position is not in the text. */
  offsetOf(line: number, column: number, columnsInBytes: boolean): number | undefined {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return undefined;
    const end = this.lineStarts[line] ?? this.text.length + 1;
    const lineText = this.text.slice(start, end - 1 < start ? start : end);
    let units = column - 1;
    if (columnsInBytes) {
      const bytes = Buffer.from(lineText, 'utf8');
      if (units > bytes.length) return undefined;
      units = bytes.subarray(0, units).toString('utf8').length;
    }
    if (units < 0 || units > lineText.length) return undefined;
    return start + units;
  }

  positionOf(offset: number): TextPosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lineStarts[middle] ?? Infinity) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (this.lineStarts[low] ?? 0) + 1 };
  }
}
