/**
 * File names on Linux are bytes, not text: `n\xff.c` is a valid name that no UTF-8 decoding keeps.
 * Paths stay strings here (map keys, sorting, display), but lossless ones, as Python's
 * surrogateescape makes them: a byte that is not part of valid UTF-8 becomes the lone surrogate
 * U+DC80..U+DCFF, which no decoded text holds. Every file system call on a path that came from a
 * walk goes through `fsPath`, which gives Node the original bytes back; a plain string would be
 * encoded as UTF-8, and a decoded name with U+FFFD in it names no file (F17: the file's findings
 * were lost to "cannot read: ENOENT").
 */
import { isUtf8 } from 'node:buffer';
import { utf8SequenceAt } from './utf8-validity.js';

/** A lone escaped byte: a low surrogate for 0x80..0xff not preceded by a high surrogate. */
const ESCAPED_BYTE = /(?<![\ud800-\udbff])[\udc80-\udcff]/;

/** The path for these bytes: their UTF-8 text, with each byte outside valid UTF-8 escaped. */
export function pathFromBytes(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start);
  if (isUtf8(buffer)) return buffer.toString('utf8');
  let path = '';
  for (let at = 0; at < buffer.length; ) {
    const { length, wellFormed } = utf8SequenceAt(buffer, at);
    path += wellFormed ? buffer.toString('utf8', at, at + length) : String.fromCharCode(0xdc00 + buffer[at]!); // at is in range
    at += wellFormed ? length : 1;
  }
  return path;
}

/** The bytes a path names: its text as UTF-8, each escaped byte as itself. */
export function pathToBytes(path: string): Buffer {
  if (!ESCAPED_BYTE.test(path)) return Buffer.from(path, 'utf8');
  // By code point: a lone escaped byte is one of its own, where the second half of a pair is not.
  return Buffer.concat([...path].map((char) => (ESCAPED_BYTE.test(char) ? Buffer.of(char.charCodeAt(0) - 0xdc00) : Buffer.from(char, 'utf8'))));
}

/** What to hand Node's fs for a path: the string itself, or its bytes when it holds escaped ones. */
export function fsPath(path: string): string | Buffer {
  return ESCAPED_BYTE.test(path) ? pathToBytes(path) : path;
}

/** Whether a path names bytes outside UTF-8: where only strings can be passed on (a child's arguments), it cannot be. */
export function holdsEscapedBytes(path: string): boolean {
  return ESCAPED_BYTE.test(path);
}
