import { isUtf8 } from 'node:buffer';

/**
 * Byte offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or -1 when all of `bytes` is valid.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1;
  let index = 0;
  while (index < bytes.length) {
    const { length, wellFormed } = utf8SequenceAt(bytes, index);
    if (!wellFormed) return index;
    index += length;
  }
  return -1;
}

/**
 * The sequence that starts at `start` (which must be inside `bytes`): a well-formed one, or the
 * bytes a decoder turns into one U+FFFD — a lead byte and the continuation bytes that fit it, or a
 * byte that cannot lead (the WHATWG decoder's "maximal subpart", as TextDecoder and Buffer decode).
 */
export function utf8SequenceAt(bytes: Uint8Array, start: number): { length: number; wellFormed: boolean } {
  const lead = bytes[start] ?? 0;
  if (lead < 0x80) return { length: 1, wellFormed: true };
  // Allowed range of the second byte per lead byte, from the Unicode standard's table 3-7.
  let length: number;
  let secondMin = 0x80;
  let secondMax = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) secondMin = 0xa0;
    if (lead === 0xed) secondMax = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) secondMin = 0x90;
    if (lead === 0xf4) secondMax = 0x8f;
  } else return { length: 1, wellFormed: false };
  for (let offset = 1; offset < length; offset++) {
    const byte = bytes[start + offset];
    const min = offset === 1 ? secondMin : 0x80;
    const max = offset === 1 ? secondMax : 0xbf;
    if (byte === undefined || byte < min || byte > max) return { length: offset, wellFormed: false };
  }
  return { length, wellFormed: true };
}
