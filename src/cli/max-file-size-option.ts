/**
 * `--max-file-size`, as scan, review and baseline declare it. The default is the CLI's own (the
 * scan library's DEFAULT_MAX_FILE_SIZE is the same number, checked by a test) so that declaring the
 * option does not load the scan stack: --help and --version need none of it.
 */
import type { Option as CommanderOption } from 'commander';
import { InvalidArgumentError, Option } from './commander.js';
import { fileSizeLimit, MAX_FILE_SIZE_LIMIT } from './byte-size.js';

const DEFAULT_MAX_FILE_SIZE_TEXT = '8mb';

export function maxFileSizeOption(): CommanderOption {
  return new Option('--max-file-size <size>', 'do not parse larger files (e.g. 8mb, 512kb)')
    .argParser(parseByteSize)
    .default(parseByteSize(DEFAULT_MAX_FILE_SIZE_TEXT), DEFAULT_MAX_FILE_SIZE_TEXT);
}

function parseByteSize(value: string): number {
  const bytes = fileSizeLimit(value);
  if (bytes === undefined) {
    throw new InvalidArgumentError(
      `expected a size from 1 byte to ${MAX_FILE_SIZE_LIMIT} bytes (the longest text a scan can hold), such as 8mb, 512kb or 1048576 (a limit of 0 would analyse nothing).`,
    );
  }
  return bytes;
}
