/**
 * The rules section of `ringlint scan --help` and `ringlint review --help`, rendered from the
 * catalog: every rule's id, name, severity and what `--fix` does with it.
 */
import { RULES, type FixKind } from '../rules/catalog.js';

const FIX_WORDS: Record<FixKind, string> = {
  auto: 'rewritten by --fix',
  suggest: 'rewrite suggested (ESLint), not by --fix',
  none: 'no mechanical fix',
};

export function rulesHelpText(): string {
  const nameWidth = Math.max(...RULES.map((rule) => rule.name.length));
  const lines = RULES.map((rule) => `  ${rule.id}  ${rule.name.padEnd(nameWidth)}  ${rule.severity.padEnd('warning'.length)}  ${FIX_WORDS[rule.fix]}`);
  return ['', 'Rules (each documented in the package\'s rules/ folder):', ...lines].join('\n');
}
