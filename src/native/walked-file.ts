/** What ringscan's byte search found in a file it walked: the flags of its F records (ringscan.c's FLAG_* bits). */
import type { SourceKind } from '../files/source-kind.js';

export interface WalkedFile {
  /** Absolute real path (bytes outside UTF-8 escaped: files/path-bytes.ts). */
  path: string;
  kind: SourceKind;
  /**
   * What the search found (ringscan.c's FLAG_* bits; any makes the file one the scan reads).
   * TypeScript and JavaScript files are stamped, not searched (0).
   */
  flags: number;
}

/** What ringscan's search found in a file (a file it walked without listing: nothing). */
export type SearchFlags = Pick<WalkedFile, 'flags'>;

export const NOTHING_FOUND: SearchFlags = { flags: 0 };

/** ringscan.c's FLAG_* bits. Each fact below is false of a file ringscan did not search (undefined). */
const STATUS_WORD = 1;
const OTHER_INCLUDE = 4;

/** The file holds the status word, or is one the scan must read to report (binary, unreadable). */
export function namesStatusOrIsUnusable(file: SearchFlags | undefined): boolean {
  return ((file?.flags ?? 0) & ~OTHER_INCLUDE) !== 0;
}

/** The file includes by quoted path a file of a kind the walk does not take (it is scanned as C). */
export function includesUnwalkedFiles(file: SearchFlags | undefined): boolean {
  return ((file?.flags ?? 0) & OTHER_INCLUDE) !== 0;
}

/**
 * `tp_status` or a `TP_STATUS_` name as a word: the status word wherever it stands. Only
 * `block_status` has look-alikes (fields of many other structs) that a syntax tree must tell apart.
 */
export function namesStatusUnambiguously(file: SearchFlags | undefined): boolean {
  return ((file?.flags ?? 0) & STATUS_WORD) !== 0;
}
