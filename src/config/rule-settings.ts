/**
 * The config's `rules` section, normalised in one place: rules named by id (`RL001`), name
 * (`kernel-equality`) or ESLint name (`ringlint/kernel-equality`), severities in ESLint's spellings
 * as well as ringlint's (`"warn"` and `"warning"`, 0/1/2), so that a setting copied from an ESLint
 * config means the same here.
 */
import type { RuleId } from '../model/finding.js';
import { ESLINT_RULE_PREFIX, RULES, ruleNamed } from '../rules/catalog.js';
import type { ConfigProblem } from './config-text.js';

export type RuleSetting = 'off' | 'warning' | 'error';

/** Every severity spelling accepted, and what it means. */
export const SEVERITY_SPELLINGS: ReadonlyMap<string | number, RuleSetting> = new Map<string | number, RuleSetting>([
  ['off', 'off'],
  ['warn', 'warning'],
  ['warning', 'warning'],
  ['error', 'error'],
  [0, 'off'],
  [1, 'warning'],
  [2, 'error'],
]);

/** The settings of `rules`, and a problem at each entry that names no rule, no severity or a rule named before. */
export function normaliseRuleSettings(rules: Readonly<Record<string, unknown>>): { settings: Partial<Record<RuleId, RuleSetting>>; problems: ConfigProblem[] } {
  const settings: Partial<Record<RuleId, RuleSetting>> = {};
  const problems: ConfigProblem[] = [];
  const keyOf = new Map<RuleId, string>();
  for (const [key, value] of Object.entries(rules)) {
    const rule = ruleNamed(key);
    if (!rule) {
      problems.push({ path: ['rules', key], atKey: true, message: `unknown rule; expected one of ${RULES[0]!.id}…${RULES.at(-1)!.id} or a rule name (${RULES.map((known) => known.name).join(', ')}; ${ESLINT_RULE_PREFIX}name works too)` }); // RULES is not empty
      continue;
    }
    const setting = typeof value === 'string' || typeof value === 'number' ? SEVERITY_SPELLINGS.get(value) : undefined;
    if (setting === undefined) {
      problems.push({ path: ['rules', key], atKey: false, message: `${JSON.stringify(value)} is not a severity; expected ${orList([...SEVERITY_SPELLINGS.keys()].map((spelling) => JSON.stringify(spelling)))}` });
      continue;
    }
    const earlier = keyOf.get(rule.id);
    if (earlier !== undefined) {
      problems.push({ path: ['rules', key], atKey: true, message: `names ${rule.id} (${rule.name}) again, as ${JSON.stringify(earlier)} did; keep one` });
      continue;
    }
    keyOf.set(rule.id, key);
    settings[rule.id] = setting;
  }
  return { settings, problems };
}

/** `a, b or c`. */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)!}`; // length > 1
}
