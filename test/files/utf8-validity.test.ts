import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8Offset } from '../../src/files/utf8-validity.js';

describe('firstInvalidUtf8Offset', () => {
  it('finds nothing in valid text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => firstInvalidUtf8Offset(Buffer.from(text)) === -1));
  });

  it('points at the first byte where no well-formed sequence starts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const offset = firstInvalidUtf8Offset(bytes);
        if (offset === -1) return isUtf8(bytes);
        const validBefore = isUtf8(bytes.subarray(0, offset));
        const sequenceStartsHere = [1, 2, 3, 4].some(
          (length) => offset + length <= bytes.length && isUtf8(bytes.subarray(offset, offset + length)),
        );
        return validBefore && !sequenceStartsHere;
      }),
    );
  });

  it('rejects overlong forms, surrogates and code points above U+10FFFF', () => {
    expect(firstInvalidUtf8Offset(Uint8Array.from([0x41, 0xc0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8Offset(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8Offset(Uint8Array.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
    expect(firstInvalidUtf8Offset(Uint8Array.from([0x61, 0xe2, 0x82]))).toBe(1);
  });
});
