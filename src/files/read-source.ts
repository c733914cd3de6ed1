import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { LANGUAGES } from '../languages/table.js';
import { statusWordSpellings } from '../model/status-vocabulary.js';
import { fsErrorReason } from './fs-error-reason.js';
import { compilerLineEnds } from './line-ends.js';
import { fsPath } from './path-bytes.js';
import { readRegularFileSync } from './read-regular-file.js';
import { firstInvalidUtf8Offset } from './utf8-validity.js';

export type SourceRead =
  /** `problem` is set when the text was decoded with replacement characters. */
  | { status: 'text'; text: string; problem?: string }
  /** `problem` is unset when skipping is simply right (a huge file that cannot matter). */
  | { status: 'skipped'; problem?: string };

/** Words without which a file cannot hold an ownership test; a too-large file without them is skipped silently. */
const STATUS_WORD_MARKERS = statusWordSpellings(LANGUAGES.map((language) => language.vocabulary)).map((word) => Buffer.from(word, 'latin1'));

/** How much of a file's start `looksBinary` judges. */
export const BINARY_SAMPLE_BYTES = 8192;
/** Why a file that `looksBinary` is not analysed (UTF-16 text is binary to a byte reader: its ASCII half is NUL bytes). */
export const BINARY_FILE_PROBLEM = 'binary file, skipped';
const MARKER_SCAN_CHUNK_BYTES = 1 << 20;
const utf8Decoder = new TextDecoder('utf-8');

/** Reads one source file, turning every way it can be unusable into a reason instead of an exception. */
export async function readSourceFile(path: string, maxFileSize: number): Promise<SourceRead> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: a FIFO that replaced the file after discovery must not hang the scan.
    handle = await open(fsPath(path), constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { status: 'skipped', problem: `cannot read: ${fsErrorReason(error)}` };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { status: 'skipped', problem: 'not a regular file, skipped' };
    if (stats.size > maxFileSize) return await oversized(handle, stats, maxFileSize);
    const bytes = await handle.readFile();
    if (looksBinary(bytes)) return { status: 'skipped', problem: BINARY_FILE_PROBLEM };
    // Lines as gcc counts them (line-ends.ts).
    const text = compilerLineEnds(utf8Decoder.decode(bytes));
    const invalidAt = firstInvalidUtf8Offset(bytes);
    if (invalidAt < 0) return { status: 'text', text };
    return {
      status: 'text',
      text,
      problem: `invalid UTF-8 at byte offset ${invalidAt}; analysed with replacement characters`,
    };
  } catch (error) {
    return { status: 'skipped', problem: `cannot read: ${fsErrorReason(error)}` };
  } finally {
    await handle.close();
  }
}

async function oversized(handle: FileHandle, stats: Stats, maxFileSize: number): Promise<SourceRead> {
  if (!(await containsStatusWord(handle))) return { status: 'skipped' };
  return {
    status: 'skipped',
    problem:
      `file is ${formatSize(stats.size)}, over the --max-file-size limit of ${formatSize(maxFileSize)}; ` +
      'not analysed although it mentions the status word',
  };
}

/** Streams the raw bytes in chunks so a huge file costs neither a decode nor its size in memory. */
async function containsStatusWord(handle: FileHandle): Promise<boolean> {
  const overlap = Math.max(...STATUS_WORD_MARKERS.map((marker) => marker.length)) - 1;
  const buffer = Buffer.alloc(MARKER_SCAN_CHUNK_BYTES + overlap);
  let carried = 0;
  let position = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, carried, MARKER_SCAN_CHUNK_BYTES, position);
    if (bytesRead === 0) return false;
    position += bytesRead;
    const filled = buffer.subarray(0, carried + bytesRead);
    if (STATUS_WORD_MARKERS.some((marker) => filled.includes(marker))) return true;
    // Keep the tail so a marker split across two chunks is still seen.
    carried = Math.min(overlap, filled.length);
    filled.copy(buffer, 0, filled.length - carried);
  }
}

/** Git's rule (a NUL byte early on) plus a control-byte ratio for NUL-free binary formats. */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, BINARY_SAMPLE_BYTES);
  if (sample.includes(0)) return true;
  let control = 0;
  for (const byte of sample) {
    // Tab, newline, vertical tab, form feed, carriage return and escape occur in real sources.
    if ((byte < 0x20 && (byte < 0x09 || byte > 0x0d) && byte !== 0x1b) || byte === 0x7f) control++;
  }
  return sample.length > 0 && control / sample.length > 0.1;
}

function formatSize(bytes: number): string {
  const [unit, scale] = bytes >= 1024 ** 2 ? ['MB', 1024 ** 2] : bytes >= 1024 ? ['KB', 1024] : ['bytes', 1];
  const value = bytes / scale;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}

/** No JavaScript string is longer: a larger file cannot be a text to compare. */
const MAX_TEXT_BYTES = 512 * 1024 * 1024;

/**
 * A file's text, or undefined when it cannot be read: for checks whose failure only means
 * "changed". A regular file only, never waiting on a FIFO that replaced it (files/read-regular-file.ts).
 */
export function readTextQuietly(path: string): string | undefined {
  try {
    return readRegularFileSync(path, MAX_TEXT_BYTES, { followLinks: true }).toString('utf8');
  } catch {
    return undefined;
  }
}
