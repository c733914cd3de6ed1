/**
 * RuleTesters for the plugin's rules: one for TS/JS (the parser configs.recommended sets) and one
 * for C through the plugin's `ringlint/c` language, plus the snippets the rule tables share.
 */
import typescriptParser from '@typescript-eslint/parser';
import { RuleTester, type Linter } from 'eslint';
import { describe, it } from 'vitest';
import plugin from '../../src/eslint/plugin.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

export const tsRuleTester = new RuleTester({
  languageOptions: { parser: typescriptParser as Linter.Parser, sourceType: 'module' },
});

export const cRuleTester = new RuleTester({
  plugins: { ringlint: plugin },
  language: 'ringlint/c',
} as Linter.Config);

export const rules = plugin.rules as NonNullable<typeof plugin.rules> & Record<string, Parameters<RuleTester['run']>[1]>;

/** What a TS consumer module declares before the code under test (one line, so line numbers stay simple). */
export const TS = 'const TP_STATUS_KERNEL = 0, TP_STATUS_USER = 1, TP_STATUS_AVAILABLE = 0, TP_STATUS_VLAN_VALID = 16; interface Hdr { tp_status: number; tp_len: number } declare function deliver(n: number): void;\n';

/** A C consumer's prelude, also one line. */
export const C = '#include <linux/if_packet.h>\n';
