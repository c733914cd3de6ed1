/**
 * `--max-file-size`, as scan, review and baseline declare it. The default is the CLI's own (the
 * scan library's DEFAULT_MAX_FILE_SIZE is the same number, checked by a test) so that declaring the
 * option does not load the scan stack: --help and --version need none of it.
 */
import { fileSizeLimit, MAX_FILE_SIZE_LIMIT } from './byte-size.js';
import type { OptionSpec } from './option-table.js';

const DEFAULT_MAX_FILE_SIZE_TEXT = '8mb';

export const MAX_FILE_SIZE_OPTION: OptionSpec = {
  flags: '--max-file-size <size>',
  description: 'do not parse larger files (e.g. 8mb, 512kb)',
  parse: {
    value: fileSizeLimit,
    invalid: `expected a size from 1 byte to ${MAX_FILE_SIZE_LIMIT} bytes (the longest text a scan can hold), such as 8mb, 512kb or 1048576 (a limit of 0 would analyse nothing).`,
  },
  default: { value: maxFileSizeFrom(undefined), shown: DEFAULT_MAX_FILE_SIZE_TEXT },
};

/** The limit a command line's --max-file-size text sets (none given: the default); undefined when the text is no limit. */
export function maxFileSizeFrom(text: string | undefined): number | undefined {
  return fileSizeLimit(text ?? DEFAULT_MAX_FILE_SIZE_TEXT);
}
