/**
 * The catalog is the one owner of the ESLint messageIds: each kind of finding of each rule has its
 * own, no two alike, and the plugin's rules declare exactly those (plus the file-level ones).
 */
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/eslint/rules.js';
import { FILE_MESSAGE_IDS, RULES } from '../../src/rules/catalog.js';

describe('messageIds', () => {
  const findingIds = RULES.flatMap((rule) => Object.values(rule.messageIds));

  it('are distinct across rules and from the file-level ones', () => {
    const all = [...findingIds, ...Object.values(FILE_MESSAGE_IDS)];
    expect(new Set(all).size).toBe(all.length);
  });

  it('are what each ESLint rule declares', () => {
    for (const meta of RULES) {
      const declared = Object.keys(rules[meta.name]?.meta?.messages ?? {}).sort();
      expect(declared, meta.id).toEqual([...Object.values(meta.messageIds), ...Object.values(FILE_MESSAGE_IDS)].sort());
    }
  });

  it('name every kind of ownership test for RL001-RL004', () => {
    expect(Object.keys(RULES.find((rule) => rule.id === 'RL001')!.messageIds).sort()).toEqual(['case', 'comparison']);
    expect(Object.keys(RULES.find((rule) => rule.id === 'RL004')!.messageIds).sort()).toEqual(['case', 'comparison', 'truth']);
  });
});
