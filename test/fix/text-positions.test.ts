/**
 * LineIndex maps positions through a per-line table built once; the reference is what it replaced,
 * re-encoding the line for every position (quadratic on a line of thousands of findings).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../src/fix/text-positions.js';

/** The offset of a byte column by re-encoding the line, as LineIndex used to. */
function offsetByReencoding(text: string, line: number, byteColumn: number): number | undefined {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  const start = starts[line - 1];
  if (start === undefined) return undefined;
  const lineText = text.slice(start, starts[line] ?? text.length);
  const bytes = Buffer.from(lineText, 'utf8');
  if (byteColumn - 1 > bytes.length) return undefined;
  return start + bytes.subarray(0, byteColumn - 1).toString('utf8').length;
}

// Lines mixing ASCII, 2-, 3- and 4-byte characters, and lone surrogates (a JavaScript string may hold them).
const piece = fc.constantFrom('a', ' ', '\t', 'é', 'ß', '€', '漢', '😀', '\ud800', '\udc00', '\n', '\r\n');
const texts = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(''));

describe('LineIndex', () => {
  it('maps every UTF-8 byte column of every line as re-encoding the line does', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const index = new LineIndex(text);
        const lineCount = text.split('\n').length;
        for (let line = 1; line <= lineCount + 1; line++) {
          for (let column = 1; column <= 4 * text.length + 3; column++) {
            expect(index.offsetOf(line, column, true)).toBe(offsetByReencoding(text, line, column));
          }
        }
      }),
    );
  });

  it('counts columns in UTF-16 units when asked to', () => {
    const index = new LineIndex('a😀b\nc');
    expect(index.offsetOf(1, 4, false)).toBe(3);
    expect(index.offsetOf(1, 6, true)).toBe(3);
    expect(index.offsetOf(2, 2, false)).toBe(6);
    expect(index.offsetOf(2, 3, false)).toBe(undefined);
    expect(index.offsetOf(3, 1, false)).toBe(undefined);
  });
});
