/**
 * One documentation URL per rule, from one owner (reporters/rule-help.ts), for ESLint's
 * `meta.docs.url` as for SARIF and rdjson: an https URL into the repository that package.json
 * names, at the document the README's rule table links to.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/eslint/plugin.js';
import { REPOSITORY_URL, ruleDocUrl } from '../../src/reporters/rule-help.js';
import { RULES } from '../../src/rules/catalog.js';

const repo = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { repository?: { url?: string }; homepage?: string; bugs?: { url?: string } };

describe('the rule documentation URL', () => {
  it('is in the repository package.json names', () => {
    // npm's spelling of a git repository: git+https://github.com/owner/name.git
    const repository = manifest.repository?.url?.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(repository).toBe(REPOSITORY_URL);
    expect(manifest.homepage?.startsWith(REPOSITORY_URL)).toBe(true);
    expect(manifest.bugs?.url?.startsWith(REPOSITORY_URL)).toBe(true);
  });

  it.each(RULES.map((rule) => [rule.id, rule] as const))('%s: ESLint links the document SARIF links, over https, and the document ships', (_id, rule) => {
    const url = plugin.rules?.[rule.name]?.meta?.docs?.url;
    expect(url).toBe(ruleDocUrl(rule));
    expect(url).toBe(`${REPOSITORY_URL}/blob/main/rules/${rule.doc}`);
    expect(new URL(url!).protocol).toBe('https:');
    expect(existsSync(join(repo, 'rules', rule.doc))).toBe(true);
  });

  it("is where the README's rule table links, read on GitHub", () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const base = `${REPOSITORY_URL}/blob/main/`;
    for (const rule of RULES) {
      const row = readme.split('\n').find((line) => line.startsWith(`| [${rule.id}](`));
      const target = row?.match(/^\| \[RL\d+\]\(([^)]+)\)/)?.[1];
      expect(target, `README row for ${rule.id}`).toBeDefined();
      expect(new URL(target!, base).href).toBe(ruleDocUrl(rule));
    }
  });
});
