/**
 * The TypeScript/JavaScript fixtures through ESLint's own API with `configs.recommended`, as a
 * project lints them: every line produces exactly the findings its `ringlint-expect:` annotation
 * names (the CLI's inline-expectation harness, test/fixtures/inline-expectations.test.ts, holds the
 * same files to the same annotations), every look-alike stays clean. One difference is by design:
 * ESLint lints a file alone, so a helper that returns its decision is reported in itself rather
 * than at callers in files the scan sees (README, ESLint: "each file on its own").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/eslint/plugin.js';
import { RULES } from '../../src/rules/catalog.js';

const repo = join(import.meta.dirname, '..', '..');
const root = join(repo, 'fixtures', 'ts');
const LINTED = /\.(ts|mts|cts|js|mjs|cjs)$/;
const ID_OF = new Map(RULES.map((rule) => [`ringlint/${rule.name}`, rule.id]));

const files = readdirSync(root, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && LINTED.test(entry.name) && !entry.name.endsWith('.d.ts'))
  .map((entry) => join(entry.parentPath, entry.name));

/** Findings ESLint reports in a helper whose callers it does not see. */
const HELPER_ALONE: Record<string, string[]> = { 'fixtures/ts/through-helpers/ring-status.ts': ['11 RL001'] };

function expected(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').flatMap((text, index) => {
    const match = /ringlint-expect:\s*([A-Z0-9, ]+)/.exec(text);
    return (match?.[1]?.split(',').map((id) => id.trim()).filter(Boolean) ?? []).map((id) => `${index + 1} ${id}`);
  });
}

describe('fixtures/ts through ESLint', { timeout: 120_000 }, () => {
  const eslint = new ESLint({ cwd: repo, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended] });
  const results = eslint.lintFiles(files);

  it.each(files.map((file) => relative(repo, file)))('%s', async (file) => {
    const result = (await results).find((candidate) => candidate.filePath === join(repo, file));
    const produced = (result?.messages ?? []).map((message) => `${message.line} ${ID_OF.get(message.ruleId ?? '') ?? message.message}`);
    expect(produced.sort()).toEqual([...expected(join(repo, file)), ...(HELPER_ALONE[file] ?? [])].sort());
  });
});
