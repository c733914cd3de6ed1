import { createTwoFilesPatch } from 'diff';

/** A `git diff`-style unified diff of one file, for `--fix-dry-run`. */
export function unifiedDiff(displayPath: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${displayPath}`, `b/${displayPath}`, before, after, undefined, undefined, { context: 3 })
    .split('\n')
    .filter((line) => !line.startsWith('===='))
    .join('\n');
}
