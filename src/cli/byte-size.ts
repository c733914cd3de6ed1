import { constants } from 'node:buffer';

const UNIT_BYTES: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
};

/**
 * The largest --max-file-size: a file is analysed as one JavaScript string, which can hold no more
 * (each UTF-8 byte decodes to at most one UTF-16 unit). 512 MiB less 24 bytes in Node 20.
 */
export const MAX_FILE_SIZE_LIMIT = constants.MAX_STRING_LENGTH;

/**
 * A --max-file-size limit: `8mb`, `512K`, `1.5MB` or a plain byte count (units are binary, as `du
 * -h` shows sizes), from one byte to MAX_FILE_SIZE_LIMIT; undefined when it is none of these. A
 * limit of 0 would analyse nothing (empty files have nothing to analyse); a larger one promised
 * files no scan can read, and past 2^53 it reached ringscan as `1e+23`, which C reads as 1.
 */
export function fileSizeLimit(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = UNIT_BYTES[match?.[2]?.toLowerCase() ?? 'invalid'];
  const bytes = match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : 0;
  return bytes > 0 && bytes <= MAX_FILE_SIZE_LIMIT ? bytes : undefined;
}
