/**
 * commander, required rather than imported: its ES module entry wraps the CommonJS one, and Node
 * lexes that for export names on every start, which more than doubles its load time.
 */
import { createRequire } from 'node:module';
import type * as Commander from 'commander';

export const { Command, InvalidArgumentError, Option } = createRequire(import.meta.url)('commander') as typeof Commander;
