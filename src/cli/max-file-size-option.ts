/**
 * `--max-file-size`, as scan, review and baseline declare it. Its default is the scan library's,
 * from a module of its own: declaring the option does not load the scan stack (--help and --version
 * need none of it).
 */
import { DEFAULT_MAX_FILE_SIZE } from '../scan/max-file-size.js';
import { fileSizeLimit, MAX_FILE_SIZE_LIMIT } from './byte-size.js';
import type { OptionSpec } from './option-table.js';

export const MAX_FILE_SIZE_OPTION: OptionSpec = {
  flags: '--max-file-size <size>',
  description: 'do not parse larger files (e.g. 8mb, 512kb)',
  parse: {
    value: fileSizeLimit,
    invalid: `expected a size from 1 byte to ${MAX_FILE_SIZE_LIMIT} bytes (the longest text a scan can hold), such as 8mb, 512kb or 1048576 (a limit of 0 would analyse nothing).`,
  },
  default: { value: DEFAULT_MAX_FILE_SIZE, shown: `${DEFAULT_MAX_FILE_SIZE / 1024 ** 2}mb` },
};

/** The limit a command line's --max-file-size text sets (none given: the default); undefined when the text is no limit. */
export function maxFileSizeFrom(text: string | undefined): number | undefined {
  return text === undefined ? DEFAULT_MAX_FILE_SIZE : fileSizeLimit(text);
}
