/**
 * The config's `rules` section, normalised in one place: rules named by id (`RL001`), name
 * (`kernel-equality`) or ESLint name (`ringlint/kernel-equality`), severities in ESLint's spellings
 * as well as ringlint's (`"warn"` and `"warning"`, 0/1/2), so that a setting copied from an ESLint
 * config means the same here.
 */
import type { RuleId } from '../model/finding.js';
import { ESLINT_RULE_PREFIX, RULES, ruleNamed } from '../rules/catalog.js';

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

/** Every key that names a rule: ids, names and ESLint names (the schema lists the same). */
export function ruleKeys(): string[] {
  return [...RULES.map((rule) => rule.id), ...RULES.map((rule) => rule.name), ...RULES.map((rule) => `${ESLINT_RULE_PREFIX}${rule.name}`)];
}

/** A problem with one entry of `rules`; `atKey`: the key is wrong (else its value). */
export interface RuleSettingProblem {
  key: string;
  atKey: boolean;
  message: string;
}

export function normaliseRuleSettings(rules: Readonly<Record<string, unknown>>): { settings: Partial<Record<RuleId, RuleSetting>>; problems: RuleSettingProblem[] } {
  const settings: Partial<Record<RuleId, RuleSetting>> = {};
  const problems: RuleSettingProblem[] = [];
  const keyOf = new Map<RuleId, string>();
  for (const [key, value] of Object.entries(rules)) {
    const rule = ruleNamed(key);
    if (!rule) {
      problems.push({ key, atKey: true, message: `unknown rule; expected one of ${RULES[0]!.id}…${RULES.at(-1)!.id} or a rule name (${RULES.map((known) => known.name).join(', ')}; ${ESLINT_RULE_PREFIX}name works too)` }); // RULES is not empty
      continue;
    }
    const setting = typeof value === 'string' || typeof value === 'number' ? SEVERITY_SPELLINGS.get(value) : undefined;
    if (setting === undefined) {
      problems.push({ key, atKey: false, message: `${JSON.stringify(value)} is not a severity; expected ${orList([...SEVERITY_SPELLINGS.keys()].map((spelling) => JSON.stringify(spelling)))}` });
      continue;
    }
    const earlier = keyOf.get(rule.id);
    if (earlier !== undefined) {
      problems.push({ key, atKey: true, message: `names ${rule.id} (${rule.name}) again, as ${JSON.stringify(earlier)} did; keep one` });
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
