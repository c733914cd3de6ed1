/**
 * The ringlint rules as ESLint rules (`ringlint/kernel-equality`, …). Each reports the
 * findings of its rule id from the shared per-file analysis, less those a `ringlint-disable`
 * comment suppresses (ESLint applies its own `eslint-disable` comments); fixes and suggestions come
 * from the findings' decision shapes (see fixes.ts for which are which).
 */
import type { Rule } from 'eslint';
import { LineIndex } from '../fix/text-positions.js';
import type { RuleId } from '../model/finding.js';
import { ruleDocUrl } from '../reporters/rule-help.js';
import { ESLINT_RULE_PREFIX, FILE_MESSAGE_IDS, messageIdOf, RULES, type RuleMeta } from '../rules/catalog.js';
import { analysisFor, type LintedFile } from './file-analysis.js';
import { maskPrecedenceFix, ownershipFix } from './fixes.js';

/** File errors (too large, too deeply nested) and malformed suppressions are reported once per file, by this rule. */
const REPORTS_FILE_ERRORS: RuleId = 'RL001';
/**
 * JavaScript and TypeScript (any parser of ESLint's JS language), and C through the plugin's
 * language (plugin.ts). Every rule declares both, whatever the catalog's `languages` says: ESLint
 * refuses a config that enables a rule for a language it does not declare, and the configs enable
 * every rule (RL008, C only, simply reports nothing in JS/TS).
 */
const LANGUAGES = ['js/js', 'ringlint/c'];

/** `test the TP_STATUS_USER bit: …` (a clause, as SARIF and Markdown use it) → a suggestion's title. */
function asSentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function createRule(meta: RuleMeta): Rule.RuleModule {
  // The catalog says which rewrites are autofixes, for ESLint and `ringlint scan --fix` alike.
  const fixable = meta.fix === 'auto';
  const suggests = meta.fix === 'suggest';
  return {
    meta: {
      type: 'problem',
      docs: {
        description: meta.summary,
        recommended: true,
        url: ruleDocUrl(meta),
      },
      languages: LANGUAGES,
      ...(fixable ? { fixable: 'code' as const } : {}),
      ...(suggests ? { hasSuggestions: true } : {}),
      schema: [],
      // The finding's own message, under the messageId the catalog gives its kind.
      messages: {
        ...Object.fromEntries(Object.values(meta.messageIds).map((id) => [id, '{{message}}'])),
        [FILE_MESSAGE_IDS.notAnalysed]: 'ringlint did not analyse this file: {{message}}',
        [FILE_MESSAGE_IDS.suppressionProblem]: '{{message}}',
        [FILE_MESSAGE_IDS.rewrite]: '{{description}}',
      },
    },
    create(context) {
      const run = (): void => {
        const file: LintedFile = { filename: context.filename, cwd: context.cwd, sourceCode: context.sourceCode as unknown as LintedFile['sourceCode'] };
        const analysis = analysisFor(file);
        const text = context.sourceCode.text;
        // One line table for the file: built per finding, thousands of findings in a file cost its size each.
        let lines: LineIndex | undefined;
        for (const finding of analysis.findings) {
          if (finding.ruleId !== meta.id || finding.file !== analysis.path) continue;
          lines ??= new LineIndex(text);
          const rewrite = meta.family === 'precedence' ? maskPrecedenceFix(finding, text, lines) : ownershipFix(finding, analysis.path, text, lines);
          const fix = rewrite ? (fixer: Rule.RuleFixer) => fixer.replaceTextRange([rewrite.start, rewrite.end], rewrite.replacement) : undefined;
          context.report({
            loc: {
              start: { line: finding.line, column: finding.column - 1 },
              end: { line: finding.endLine, column: finding.endColumn - 1 },
            },
            messageId: messageIdOf(meta, finding.kind ?? 'finding'),
            data: { message: finding.message },
            ...(fixable && fix ? { fix } : {}),
            ...(suggests && fix && rewrite ? { suggest: [{ messageId: FILE_MESSAGE_IDS.rewrite, data: { description: asSentence(rewrite.description) }, fix }] } : {}),
          });
        }
        if (meta.id !== REPORTS_FILE_ERRORS) return;
        for (const error of analysis.errors) {
          if (error.file !== analysis.path) continue;
          context.report({ loc: { line: 1, column: 0 }, messageId: FILE_MESSAGE_IDS.notAnalysed, data: { message: error.message } });
        }
        for (const problem of analysis.suppressionProblems) {
          context.report({ loc: { line: problem.line, column: 0 }, messageId: FILE_MESSAGE_IDS.suppressionProblem, data: { message: problem.message } });
        }
      };
      // `Program` for JS/TS, `TranslationUnit` for the C language: once per file either way.
      return { Program: run, TranslationUnit: run } as Rule.RuleListener;
    },
  };
}

/** Rule names are ringlint's public rule names (DESIGN.md), so `ringlint/kernel-equality` is RL001. */
export const rules: Record<string, Rule.RuleModule> = Object.fromEntries(RULES.map((meta) => [meta.name, createRule(meta)]));

export const ruleSeverities: Record<string, 'error' | 'warn'> = Object.fromEntries(
  RULES.map((meta) => [`${ESLINT_RULE_PREFIX}${meta.name}`, meta.severity === 'error' ? 'error' : 'warn']),
);
