/**
 * Converting between a text's offsets (UTF-16 code units, as JavaScript strings index) and 1-based
 * line/column positions, which a front end may count in UTF-8 bytes or UTF-16 units.
 */
import type { Span } from '../model/finding.js';

/** A finding's start: the 1-based column in UTF-16 code units (SARIF's `utf16CodeUnits`). */
export type TextPosition = Pick<Span, 'line' | 'column'>;

export class LineIndex {
  private readonly lineStarts: number[] = [0];
  /**
   * Per line asked about in bytes, built once: the units that decoding the line's first b bytes
   * gives, for every b (a cut character decodes to one replacement character); undefined when the
   * line is ASCII (bytes and units agree). Re-encoding the line for every position was quadratic
   * when one line holds thousands of findings.
   */
  private readonly unitsAtByte = new Map<number, Uint32Array | undefined>();

  constructor(private readonly text: string) {
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) this.lineStarts.push(index + 1);
  }

  /** The offset of a 1-based line and column, or undefined when the position is not in the text. */
  offsetOf(line: number, column: number, columnsInBytes: boolean): number | undefined {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return undefined;
    const length = this.lineLength(line);
    let units = column - 1;
    if (columnsInBytes) {
      const map = this.unitsAtByteOf(line, start, length);
      if (map !== undefined) {
        if (units < 0 || units >= map.length) return undefined;
        units = map[units]!; // in range
      }
    }
    if (units < 0 || units > length) return undefined;
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

  /** The 1-based line's length in units, with its '\n'. */
  private lineLength(line: number): number {
    const start = this.lineStarts[line - 1] ?? this.text.length;
    return (this.lineStarts[line] ?? this.text.length) - start;
  }

  /** The byte map of the 1-based line at `start` (`length` units); undefined for an ASCII line. */
  private unitsAtByteOf(line: number, start: number, length: number): Uint32Array | undefined {
    if (this.unitsAtByte.has(line)) return this.unitsAtByte.get(line);
    // Counted as Buffer.from encodes: a lone surrogate (below 0x10000 for codePointAt too) as the 3 bytes of U+FFFD.
    const bytes = Buffer.byteLength(this.text.slice(start, start + length), 'utf8');
    let map: Uint32Array | undefined;
    if (bytes !== length) {
      map = new Uint32Array(bytes + 1);
      let at = 0;
      for (let units = 0; units < length; ) {
        const code = this.text.codePointAt(start + units)!; // within the line
        const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
        map[at] = units;
        for (let inside = 1; inside < size; inside++) map[at + inside] = units + 1;
        at += size;
        units += size === 4 ? 2 : 1;
      }
      map[at] = length;
    }
    this.unitsAtByte.set(line, map);
    return map;
  }
}
