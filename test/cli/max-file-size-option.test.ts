import { describe, expect, it } from 'vitest';
import { commanderOption } from '../../src/cli/command-options.js';
import { MAX_FILE_SIZE_OPTION } from '../../src/cli/max-file-size-option.js';
import { DEFAULT_MAX_FILE_SIZE } from '../../src/scan/run-scan.js';

describe('--max-file-size', () => {
  // The default is the scan library's, read from a module that does not load the scan stack.
  it('defaults to the scan library default, shown as 8mb', () => {
    const option = commanderOption(MAX_FILE_SIZE_OPTION);
    expect(option.defaultValue).toBe(DEFAULT_MAX_FILE_SIZE);
    expect(option.defaultValueDescription).toBe('8mb');
  });
});
