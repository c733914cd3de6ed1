import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleMeta } from '../rules/catalog.js';

/** Where users read a rule's document; SARIF viewers link to it. */
export function ruleDocUrl(rule: RuleMeta): string {
  return `https://github.com/ringlint/ringlint/blob/main/rules/${rule.doc}`;
}

/** The rule's document from the installed package's rules/, or undefined when it is not there. */
export function ruleDocMarkdown(rule: RuleMeta): string | undefined {
  const rulesDir = packageRulesDirectory();
  if (rulesDir === undefined) return undefined;
  try {
    return readFileSync(join(rulesDir, rule.doc), 'utf8');
  } catch {
    return undefined;
  }
}

let cachedRulesDirectory: string | undefined | null = null;

/** Searched upwards because this module runs both from src/ (tests) and from dist/src/ (the CLI). */
function packageRulesDirectory(): string | undefined {
  if (cachedRulesDirectory !== null) return cachedRulesDirectory;
  cachedRulesDirectory = undefined;
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      cachedRulesDirectory = join(dir, 'rules');
      break;
    }
  }
  return cachedRulesDirectory;
}
