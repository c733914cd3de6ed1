/**
 * Text edits applied to the bytes the text was decoded from. A scanned file's text is its bytes
 * decoded as UTF-8, with U+FFFD for whatever is not UTF-8 and, depending on the reader, without a
 * leading BOM; encoding the rewritten text would change every such byte and drop the BOM. Here each
 * edit's offsets (UTF-16 code units) become byte offsets, and only the edited bytes change.
 */
import { isUtf8 } from 'node:buffer';
import { compilerLineEnds } from '../files/line-ends.js';
import { utf8SequenceAt } from '../files/utf8-validity.js';
import type { TextEdit } from './text-edit.js';

const UTF8_BOM_BYTES = 3;
/** Keeps a BOM as U+FEFF, so that the scan's text can be matched with or without it. */
const bomKeepingDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Where in `bytes` the text starts when `text` is what they decode to: 0, or past a BOM the reader
 * dropped; undefined when they decode to something else (the file is not what was read). The
 * reader's lone CRs read as LF (files/line-ends.ts) match: offsets are the same either way.
 */
export function decodedTextStart(bytes: Uint8Array, text: string): number | undefined {
  const decoded = compilerLineEnds(bomKeepingDecoder.decode(bytes));
  if (decoded === text) return 0;
  if (decoded.charCodeAt(0) === 0xfeff && decoded.length === text.length + 1 && decoded.endsWith(text)) return UTF8_BOM_BYTES;
  return undefined;
}

export type ByteEdits = { bytes: Buffer } | { problem: string };

/**
 * `bytes` with non-overlapping `edits` of the text that starts at `textStart` applied. Refused when
 * an edit would rewrite bytes that are not UTF-8: its replacement, taken from the decoded text,
 * would put U+FFFD where they were.
 */
export function applyEditsToBytes(bytes: Buffer, textStart: number, edits: readonly TextEdit[]): ByteEdits {
  const ordered = [...edits].sort((a, b) => a.start - b.start);
  const byteOffsets = byteOffsetsOf(bytes, textStart, ordered.flatMap((edit) => [edit.start, edit.end]));
  const pieces: Buffer[] = [];
  let copiedTo = 0;
  for (const edit of ordered) {
    const start = byteOffsets.get(edit.start);
    const end = byteOffsets.get(edit.end);
    if (start === undefined || end === undefined) return { problem: 'an edit does not fall on character boundaries of the file' };
    if (!isUtf8(bytes.subarray(start, end))) {
      return { problem: `the text to rewrite holds bytes that are not UTF-8 (byte offset ${firstNonUtf8(bytes, start, end)})` };
    }
    if (start < copiedTo) return { problem: 'two edits overlap' };
    pieces.push(bytes.subarray(copiedTo, start), Buffer.from(edit.replacement, 'utf8'));
    copiedTo = end;
  }
  pieces.push(bytes.subarray(copiedTo));
  return { bytes: Buffer.concat(pieces) };
}

/** The byte offset of each of `offsets` (UTF-16 code units into the decoded text), in one pass. */
function byteOffsetsOf(bytes: Uint8Array, textStart: number, offsets: readonly number[]): Map<number, number> {
  const wanted = [...new Set(offsets)].sort((a, b) => a - b);
  const found = new Map<number, number>();
  let next = 0;
  let units = 0;
  let index = textStart;
  while (next < wanted.length) {
    while ((wanted[next] ?? Infinity) < units) next++; // inside a surrogate pair: no byte offset
    if (wanted[next] === units) found.set(units, index);
    if (index >= bytes.length) break;
    const sequence = utf8SequenceAt(bytes, index);
    index += sequence.length;
    // A code point above U+FFFF takes two UTF-16 units; anything not UTF-8 decodes to one U+FFFD.
    units += sequence.wellFormed && sequence.length === 4 ? 2 : 1;
  }
  return found;
}

function firstNonUtf8(bytes: Uint8Array, start: number, end: number): number {
  for (let index = start; index < end; ) {
    const sequence = utf8SequenceAt(bytes, index);
    if (!sequence.wellFormed) return index;
    index += sequence.length;
  }
  return start;
}
