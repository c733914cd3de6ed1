/**
 * Suppression comments, read from the source text of any C-family file and applied to findings.
 * Two syntaxes, so that one comment works in `ringlint scan`/`review` and in ESLint alike:
 *
 * - ringlint's own: `ringlint-disable-next-line RL001 -- reason` and `ringlint-disable-file RL001
 *   -- reason`. A reason is required; one without, or naming no known rule, suppresses nothing and
 *   is reported, as is one that matches no finding.
 * - ESLint's, as ESLint reads them (its own comment parser): `eslint-disable-next-line`,
 *   `eslint-disable-line`, and `/* eslint-disable … *\/` up to `/* eslint-enable … *\/`, naming
 *   rules or none (then all). Rules of other plugins are none of ours; a ringlint rule that does
 *   not exist is reported. ESLint reports its own unused directives, so they are not reported here.
 *
 * Rules are named by id (`RL003`), name (`exact-user-equality`) or ESLint name
 * (`ringlint/exact-user-equality`) in both.
 */
import { createRequire } from 'node:module';
import type { ConfigCommentParser } from '@eslint/plugin-kit';
import type { Finding, RuleId } from '../model/finding.js';
import type { TextPosition as Position } from '../fix/text-positions.js';
import { ESLINT_RULE_PREFIX, RULES, ruleNamed } from '../rules/catalog.js';
import { findComments, type SourceComment } from './comments.js';

export type SuppressionSyntax = 'ringlint' | 'eslint';

export interface InlineSuppression {
  file: string;
  syntax: SuppressionSyntax;
  /** The comment's first line, for problems. */
  line: number;
  /** What it covers: from `from` up to `to`, which it does not include (none: to the end of the file). */
  from: Position;
  to?: Position;
  ruleIds: RuleId[];
}

/** A file-wide suppression: nothing is before its start. */
const WHOLE_FILE = { from: { line: 0, column: 0 } };

/** A suppression of the 1-based `line` (a next-line or -line directive's). */
function wholeLine(line: number): { from: Position; to: Position } {
  return { from: { line, column: 0 }, to: { line: line + 1, column: 0 } };
}

/** Something wrong with a suppression comment; reported beside findings, never as one. */
export type SuppressionProblem = Pick<Finding, 'file' | 'line' | 'message'>;

const BOTH: readonly SuppressionSyntax[] = ['ringlint', 'eslint'];
const MARKER = 'ringlint-disable-';
const DIRECTIVE = /^\s*\**\s*ringlint-disable-(next-line|file)(?![\w-])(.*)$/s;
const ESLINT_MARKER = /eslint-(?:disable|enable)/;
/** What an ESLint directive names that may be a ringlint rule: its namespace or an id. */
const RINGLINT_REFERENCE = new RegExp(`${ESLINT_RULE_PREFIX}|\\bRL\\d`);
const ALL_RULES: readonly RuleId[] = RULES.map((rule) => rule.id);

/**
 * Whether `text` may hold a suppression that is reported when malformed or unused: a cheap test
 * that says which files a cached scan reads again.
 */
export function mentionsSuppression(text: string): boolean {
  return text.includes(MARKER) || (ESLINT_MARKER.test(text) && RINGLINT_REFERENCE.test(text));
}

export function readSuppressions(
  file: string,
  text: string,
  syntaxes: readonly SuppressionSyntax[] = BOTH,
): { suppressions: InlineSuppression[]; problems: SuppressionProblem[] } {
  const suppressions: InlineSuppression[] = [];
  const problems: SuppressionProblem[] = [];
  const ringlint = syntaxes.includes('ringlint') && text.includes(MARKER);
  const eslint = syntaxes.includes('eslint') && ESLINT_MARKER.test(text);
  if (!ringlint && !eslint) return { suppressions, problems };
  const comments = findComments(text);
  if (ringlint) readRinglintDirectives(file, comments, suppressions, problems);
  if (eslint) readEslintDirectives(file, comments, suppressions, problems);
  return { suppressions, problems };
}

function readRinglintDirectives(file: string, comments: SourceComment[], suppressions: InlineSuppression[], problems: SuppressionProblem[]): void {
  for (const comment of comments) {
    const match = DIRECTIVE.exec(comment.body);
    if (!match) continue;
    const rest = (match[2] ?? '').replace(/\*+\s*$/, '');
    const separator = rest.indexOf('--');
    const names = (separator === -1 ? rest : rest.slice(0, separator)).split(/[\s,]+/).filter((name) => name !== '');
    const reason = separator === -1 ? '' : rest.slice(separator + 2).replace(/\s+/g, ' ').trim();
    const directive = `ringlint-disable-${match[1]}`;
    const ruleIds = names.flatMap((name) => ruleNamed(name)?.id ?? []);
    for (const name of names.filter((name) => !ruleNamed(name))) problems.push({ file, line: comment.line, message: `${directive} names an unknown rule "${name}"` });
    if (names.length === 0) {
      problems.push({ file, line: comment.line, message: `${directive} names no rule; write e.g. "${directive} RL001 -- why"` });
      continue;
    }
    if (reason === '') {
      problems.push({ file, line: comment.line, message: `${directive} ${ruleIds.join(', ')} has no reason ("-- why"), so it suppresses nothing` });
      continue;
    }
    if (ruleIds.length === 0) continue;
    suppressions.push({ file, syntax: 'ringlint', line: comment.line, ...(match[1] === 'file' ? WHOLE_FILE : wholeLine(comment.endLine + 1)), ruleIds });
  }
}

function readEslintDirectives(file: string, comments: SourceComment[], suppressions: InlineSuppression[], problems: SuppressionProblem[]): void {
  const parser = commentParser();
  /** Where each rule's open `eslint-disable` region started. */
  const open = new Map<RuleId, Position>();
  for (const comment of comments) {
    const directive = parser.parseDirective(comment.body);
    if (!directive) continue;
    const { label, value } = directive;
    const lineDirective = label === 'eslint-disable-line' || label === 'eslint-disable-next-line';
    // As ESLint reads them: only the -line directives may be line comments, and a disable-line must fit on its line.
    if (!lineDirective && label !== 'eslint-disable' && label !== 'eslint-enable') continue;
    if (!lineDirective && !comment.block) continue;
    if (label === 'eslint-disable-line' && comment.line !== comment.endLine) continue;
    const named = Object.keys(parser.parseListConfig(value));
    const ruleIds = named.flatMap((name) => ruleNamed(name)?.id ?? []);
    // Only a name meant as one of ours: the rules of other plugins are none of ours to report.
    for (const name of named.filter((name) => !ruleNamed(name) && RINGLINT_REFERENCE.test(name))) problems.push({ file, line: comment.line, message: `${label} names an unknown rule "${name}"` });
    // Naming only other plugins' rules disables none of ours; naming none disables all.
    const targets = named.length === 0 ? ALL_RULES : ruleIds;
    if (targets.length === 0) continue;
    const at = { line: comment.line, column: comment.column };
    if (label === 'eslint-disable') {
      for (const ruleId of targets) if (!open.has(ruleId)) open.set(ruleId, at);
    } else if (label === 'eslint-enable') {
      for (const ruleId of targets) {
        const from = open.get(ruleId);
        if (!from) continue;
        open.delete(ruleId);
        suppressions.push({ file, syntax: 'eslint', line: from.line, from, to: at, ruleIds: [ruleId] });
      }
    } else {
      const line = label === 'eslint-disable-line' ? comment.line : comment.endLine + 1;
      suppressions.push({ file, syntax: 'eslint', line: comment.line, ...wholeLine(line), ruleIds: [...targets] });
    }
  }
  for (const [ruleId, from] of open) suppressions.push({ file, syntax: 'eslint', line: from.line, from, ruleIds: [ruleId] });
}

/** ESLint's own directive parser (its CommonJS build: suppressions are read synchronously), loaded only for files with ESLint directives. */
function commentParser(): ConfigCommentParser {
  const { ConfigCommentParser: Parser } = createRequire(import.meta.url)('@eslint/plugin-kit') as typeof import('@eslint/plugin-kit');
  return new Parser();
}

/** The suppression among `suppressions` that hides `finding`, if any. */
export function suppressionOf(finding: Finding, suppressions: readonly InlineSuppression[]): InlineSuppression | undefined {
  return suppressions.find((suppression) => suppression.ruleIds.includes(finding.ruleId) && covers(suppression, finding));
}

function covers(suppression: InlineSuppression, finding: Finding): boolean {
  return !before(finding, suppression.from) && (suppression.to === undefined || before(finding, suppression.to));
}

function before(finding: Finding, position: Position): boolean {
  return finding.line < position.line || (finding.line === position.line && finding.column < position.column);
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
): { kept: Finding[]; problems: SuppressionProblem[] } {
  const problems: SuppressionProblem[] = [];
  const byFile = new Map<string, InlineSuppression[]>();
  for (const [file, text] of texts) {
    const read = readSuppressions(file, text);
    if (reportsProblems(file)) problems.push(...read.problems);
    if (read.suppressions.length > 0) byFile.set(file, read.suppressions);
  }
  const used = new Set<string>();
  const kept = findings.filter((finding) => {
    const suppression = suppressionOf(finding, byFile.get(finding.file) ?? []);
    if (suppression) used.add(`${suppression.syntax}:${suppression.file}:${suppression.line}:${finding.ruleId}`);
    return !suppression;
  });
  for (const [file, suppressions] of byFile) {
    if (!reportsProblems(file)) continue;
    for (const suppression of suppressions) {
      if (suppression.syntax !== 'ringlint') continue;
      for (const ruleId of suppression.ruleIds) {
        if (used.has(`ringlint:${suppression.file}:${suppression.line}:${ruleId}`)) continue;
        // ringlint's own suppress their file (to its end) or the line after them.
        const where = suppression.to === undefined ? 'in this file' : `on line ${suppression.from.line}`;
        problems.push({ file: suppression.file, line: suppression.line, message: `unused suppression: no ${ruleId} finding ${where}` });
      }
    }
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { kept, problems };
}
