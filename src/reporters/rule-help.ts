import { readFileSync } from 'node:fs';
import { packagePath } from '../package-root.js';
import type { RuleMeta } from '../rules/catalog.js';

/** Where users read a rule's document; SARIF viewers link to it. */
export function ruleDocUrl(rule: RuleMeta): string {
  return `https://github.com/ringlint/ringlint/blob/main/rules/${rule.doc}`;
}

/** The rule's document from the installed package's rules/, or undefined when it is not there. */
export function ruleDocMarkdown(rule: RuleMeta): string | undefined {
  try {
    return readFileSync(packagePath('rules', rule.doc), 'utf8');
  } catch {
    return undefined;
  }
}

