/**
 * Paths that are bytes, kept in strings (F17): any byte sequence survives the round trip, valid
 * UTF-8 reads as itself, and only bytes outside UTF-8 become the escapes that name them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fsPath, holdsEscapedBytes, pathFromBytes, pathToBytes } from '../../src/files/path-bytes.js';

describe('paths as bytes', () => {
  it('gives back the very bytes of any name', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        expect(pathToBytes(pathFromBytes(bytes)).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads valid UTF-8 as its text, and leaves it to Node as a string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(pathFromBytes(Buffer.from(text))).toBe(text);
        expect(fsPath(text)).toBe(text);
        expect(holdsEscapedBytes(text)).toBe(false);
      }),
    );
  });

  it('escapes only the bytes outside UTF-8, as Python\'s surrogateescape does', () => {
    expect(pathFromBytes(Buffer.from([0x6e, 0xff, 0x2e, 0x63]))).toBe('n\udcff.c');
    // A surrogate's encoding, an overlong form and a cut sequence are not UTF-8: each byte escaped.
    expect(pathFromBytes(Buffer.from([0xed, 0xa0, 0x80]))).toBe('\udced\udca0\udc80');
    expect(pathFromBytes(Buffer.from([0xc0, 0xaf]))).toBe('\udcc0\udcaf');
    expect(pathFromBytes(Buffer.from([0x61, 0xe2, 0x82]))).toBe('a\udce2\udc82');
    expect(pathFromBytes(Buffer.concat([Buffer.from('é€😀'), Buffer.of(0xff)]))).toBe('é€😀\udcff');
    expect(fsPath('n\udcff.c')).toEqual(Buffer.from([0x6e, 0xff, 0x2e, 0x63]));
    // The second half of a real pair is no escape.
    expect(holdsEscapedBytes('\ud800\udc80')).toBe(false);
  });
});
