/**
 * `--max-file-size`, as scan, review and baseline declare it. Its default is the scan library's,
 * from a module of its own: declaring the option does not load the scan stack (--help and --version
 * need none of it).
 */
import { constants } from 'node:buffer';
import { DEFAULT_MAX_FILE_SIZE } from '../scan/max-file-size.js';
import type { OptionSpec } from './option-table.js';

/**
 * The largest --max-file-size: a file is analysed as one JavaScript string, which can hold no more
 * (each UTF-8 byte decodes to at most one UTF-16 unit). 512 MiB less 24 bytes in Node 20.
 */
const MAX_FILE_SIZE_LIMIT = constants.MAX_STRING_LENGTH;

export const MAX_FILE_SIZE_OPTION: OptionSpec = {
  flags: '--max-file-size <size>',
  description: 'do not parse larger files (e.g. 8mb, 512kb)',
  parse: {
    value: fileSizeLimit,
    invalid: `expected a size from 1 byte to ${MAX_FILE_SIZE_LIMIT} bytes (the longest text a scan can hold), such as 8mb, 512kb or 1048576 (a limit of 0 would analyse nothing).`,
  },
  default: { value: DEFAULT_MAX_FILE_SIZE, shown: `${DEFAULT_MAX_FILE_SIZE / 1024 ** 2}mb` },
};

/**
 * A --max-file-size limit: `8mb`, `512K`, `1.5MB` or a plain byte count (units are binary, as `du
 * -h` shows sizes), from one byte to MAX_FILE_SIZE_LIMIT; undefined when it is none of these. A
 * limit of 0 would analyse nothing (empty files have nothing to analyse); a larger one promised
 * files no scan can read, and past 2^53 it reached ringscan as `1e+23`, which C reads as 1.
 */
export function fileSizeLimit(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)b?\s*$/i.exec(value);
  // The unit is a power of 1024: none or b, k(b), m(b), g(b).
  const power = ['', 'k', 'm', 'g'].indexOf(match?.[2]?.toLowerCase() ?? '');
  const bytes = match ? Math.floor(Number(match[1]) * 1024 ** power) : 0;
  return bytes > 0 && bytes <= MAX_FILE_SIZE_LIMIT ? bytes : undefined;
}
