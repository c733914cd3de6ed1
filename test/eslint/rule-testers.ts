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

/** Every reported problem of an invalid case must say where it is, start and end, and which message it is. */
const REQUIRED_KEYS = ['messageId', 'line', 'column', 'endLine', 'endColumn'] as const;

/** A RuleTester that refuses an invalid case whose errors leave out a position or the messageId. */
class PositionedRuleTester extends RuleTester {
  override run(name: string, rule: Parameters<RuleTester['run']>[1], tests: Parameters<RuleTester['run']>[2]): void {
    for (const test of tests.invalid) {
      const errors = Array.isArray(test.errors) ? test.errors : [];
      if (errors.length === 0) throw new Error(`${name}: ${test.filename ?? test.code}: list its errors, not a count`);
      for (const error of errors) {
        const missing = REQUIRED_KEYS.filter((key) => typeof error !== 'object' || error instanceof RegExp || error[key] === undefined);
        if (missing.length > 0) throw new Error(`${name}: ${test.filename ?? test.code}: an error without ${missing.join(', ')}`);
      }
    }
    super.run(name, rule, tests);
  }
}

export const tsRuleTester = new PositionedRuleTester({
  languageOptions: { parser: typescriptParser as Linter.Parser, sourceType: 'module' },
});

export const cRuleTester = new PositionedRuleTester({
  plugins: { ringlint: plugin },
  language: 'ringlint/c',
} as Linter.Config);

export const rules = plugin.rules as NonNullable<typeof plugin.rules> & Record<string, Parameters<RuleTester['run']>[1]>;

/** What a TS consumer module declares before the code under test (one line, so line numbers stay simple). */
export const TS = 'const TP_STATUS_KERNEL = 0, TP_STATUS_USER = 1, TP_STATUS_AVAILABLE = 0, TP_STATUS_VLAN_VALID = 16; interface Hdr { tp_status: number; tp_len: number } declare function deliver(n: number): void;\n';

/** A C consumer's prelude, also one line. */
export const C = '#include <linux/if_packet.h>\n';
