/**
 * `ringlint-disable-next-line RL001 -- reason` and `ringlint-disable-file RL001 -- reason` comments.
 * Language-neutral: they are read from the source text of any C-family file, and applied to findings.
 * A suppression needs a reason; one without, or naming no known rule, suppresses nothing and is
 * reported, as is one that matches no finding.
 */
import type { Finding, RuleId } from '../model/finding.js';
import { RULES } from '../rules/catalog.js';
import { findComments } from './comments.js';

export interface InlineSuppression {
  file: string;
  /** The comment's first line, for problems. */
  line: number;
  scope: 'next-line' | 'file';
  /** For `next-line`, the line the suppression applies to. */
  targetLine: number;
  ruleIds: RuleId[];
  reason: string;
}

/** Something wrong with a suppression comment; reported beside findings, never as one. */
export interface SuppressionProblem {
  file: string;
  line: number;
  message: string;
}

export interface SuppressionOutcome {
  kept: Finding[];
  suppressed: Finding[];
  problems: SuppressionProblem[];
}

const MARKER = 'ringlint-disable-';
const DIRECTIVE = /^\s*\**\s*ringlint-disable-(next-line|file)(?![\w-])(.*)$/s;
const KNOWN_RULES: ReadonlySet<string> = new Set(RULES.map((rule) => rule.id));

/** Whether `text` may hold a suppression comment: a cheap test before reading any. */
export function mentionsSuppression(text: string): boolean {
  return text.includes(MARKER);
}

export function readSuppressions(file: string, text: string): { suppressions: InlineSuppression[]; problems: SuppressionProblem[] } {
  const suppressions: InlineSuppression[] = [];
  const problems: SuppressionProblem[] = [];
  if (!mentionsSuppression(text)) return { suppressions, problems };
  for (const comment of findComments(text)) {
    const match = DIRECTIVE.exec(comment.body);
    if (!match) continue;
    const scope = match[1] === 'file' ? 'file' : 'next-line';
    const rest = (match[2] ?? '').replace(/\*+\s*$/, '');
    const separator = rest.indexOf('--');
    const names = (separator === -1 ? rest : rest.slice(0, separator)).split(/[\s,]+/).filter((name) => name !== '');
    const reason = separator === -1 ? '' : rest.slice(separator + 2).replace(/\s+/g, ' ').trim();
    const directive = `ringlint-disable-${scope}`;
    const unknown = names.filter((name) => !KNOWN_RULES.has(name));
    const ruleIds = names.filter((name): name is RuleId => KNOWN_RULES.has(name));
    for (const name of unknown) problems.push({ file, line: comment.line, message: `${directive} names an unknown rule "${name}"` });
    if (names.length === 0) {
      problems.push({ file, line: comment.line, message: `${directive} names no rule; write e.g. "${directive} RL001 -- why"` });
      continue;
    }
    if (reason === '') {
      problems.push({ file, line: comment.line, message: `${directive} ${ruleIds.join(', ')} has no reason ("-- why"), so it suppresses nothing` });
      continue;
    }
    if (ruleIds.length === 0) continue;
    suppressions.push({ file, line: comment.line, scope, targetLine: comment.endLine + 1, ruleIds, reason });
  }
  return { suppressions, problems };
}

/**
 * Applies the suppressions found in `texts` (display path → text) to `findings`. Problems are
 * reported only for files where `reportsProblems` says so: a document that shows a suppression in
 * an example is not asking for one.
 */
export function applySuppressions(
  findings: readonly Finding[],
  texts: ReadonlyMap<string, string>,
  reportsProblems: (file: string) => boolean = () => true,
): SuppressionOutcome {
  const problems: SuppressionProblem[] = [];
  const byFile = new Map<string, InlineSuppression[]>();
  for (const [file, text] of texts) {
    const read = readSuppressions(file, text);
    if (reportsProblems(file)) problems.push(...read.problems);
    if (read.suppressions.length > 0) byFile.set(file, read.suppressions);
  }
  const used = new Set<string>();
  const outcome: SuppressionOutcome = { kept: [], suppressed: [], problems };
  for (const finding of findings) {
    const suppression = byFile
      .get(finding.file)
      ?.find(
        (candidate) =>
          candidate.ruleIds.includes(finding.ruleId) && (candidate.scope === 'file' || candidate.targetLine === finding.line),
      );
    if (suppression) {
      used.add(`${suppression.file}:${suppression.line}:${finding.ruleId}`);
      outcome.suppressed.push(finding);
    } else {
      outcome.kept.push(finding);
    }
  }
  for (const [file, suppressions] of byFile) {
    if (!reportsProblems(file)) continue;
    for (const suppression of suppressions) {
      for (const ruleId of suppression.ruleIds) {
        if (used.has(`${suppression.file}:${suppression.line}:${ruleId}`)) continue;
        const where = suppression.scope === 'file' ? 'in this file' : `on line ${suppression.targetLine}`;
        problems.push({ file: suppression.file, line: suppression.line, message: `unused suppression: no ${ruleId} finding ${where}` });
      }
    }
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return outcome;
}
