/**
 * commander, required rather than imported: its ES module entry wraps the CommonJS one, and Node
 * lexes that for export names on every start (25 ms to load instead of 11).
 */
import { createRequire } from 'node:module';
import type * as Commander from 'commander';

export const { Command, InvalidArgumentError, Option } = createRequire(import.meta.url)('commander') as typeof Commander;
