import { readFileSync } from 'node:fs';
import { packagePath } from '../package-root.js';
import type { RuleMeta } from '../rules/catalog.js';

/** Where ringlint is developed; package.json's `repository` names the same (test/eslint/rule-doc-url.test.ts). */
export const REPOSITORY_URL = 'https://github.com/ringlint/ringlint';

/**
 * Where users read a rule's document, for every channel that links to one: SARIF `helpUri`, rdjson,
 * Markdown, ESLint's `meta.docs.url`. The README's rule table links the same files.
 */
export function ruleDocUrl(rule: Pick<RuleMeta, 'doc'>): string {
  return `${REPOSITORY_URL}/blob/main/rules/${rule.doc}`;
}

/** The rule's document from the installed package's rules/, or undefined when it is not there. */
export function ruleDocMarkdown(rule: RuleMeta): string | undefined {
  try {
    return readFileSync(packagePath('rules', rule.doc), 'utf8');
  } catch {
    return undefined;
  }
}

