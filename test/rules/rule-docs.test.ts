/**
 * The rule documents are executable: every `c bad` example must produce exactly the findings its
 * `ringlint-expect` comments announce, and every `c good` example none at all. A doc that drifts
 * from the analyzer fails here instead of misleading a maintainer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeC } from '../../src/c/analyze.js';
import { C_SYNTAX } from '../../src/c/syntax.js';
import type { Finding } from '../../src/model/finding.js';
import { RULES } from '../../src/rules/catalog.js';

const rulesDirectory = fileURLToPath(new URL('../../rules/', import.meta.url));

const REQUIRED_SECTIONS = ['## What it catches', '## Why', '## Not reported', '## How to fix'];

interface Example {
  verdict: 'bad' | 'good';
  /** 1-based line of the opening fence in the doc, to name the example in failures. */
  docLine: number;
  code: string;
}

/** Fenced blocks whose info string is exactly `c bad` or `c good`. */
function examplesIn(markdown: string): Example[] {
  const examples: Example[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const open = /^```c (bad|good)\s*$/.exec(lines[index] ?? '');
    if (!open) continue;
    const close = lines.findIndex((line, at) => at > index && /^```\s*$/.test(line));
    if (close < 0) throw new Error(`unclosed example at line ${index + 1}`);
    examples.push({ verdict: open[1] as Example['verdict'], docLine: index + 1, code: lines.slice(index + 1, close).join('\n') });
    index = close;
  }
  return examples;
}

/** `line:RULE` for every `/* ringlint-expect: RL001, RL005 *\/` annotation, lines relative to the block. */
function expectedFindings(code: string): string[] {
  const expected: string[] = [];
  code.split('\n').forEach((line, index) => {
    const annotation = /\/\*\s*ringlint-expect:\s*([A-Z0-9,\s]+?)\s*\*\//.exec(line);
    for (const ruleId of annotation?.[1]?.split(',') ?? []) expected.push(`${index + 1}:${ruleId.trim()}`);
  });
  return expected.sort();
}

function findingsOf(code: string): Finding[] {
  return analyzeC([{ path: 'doc.c', text: code, syntax: C_SYNTAX }]).findings;
}

function actualFindings(code: string): string[] {
  return findingsOf(code).map((finding) => `${finding.line}:${finding.ruleId}`).sort();
}

describe.each(RULES.map((rule) => [rule.id, rule] as const))('rules/%s', (_id, rule) => {
  const path = `${rulesDirectory}${rule.doc}`;
  const markdown = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const examples = examplesIn(markdown);

  it('exists, with its title, severity and sections', () => {
    expect(existsSync(path), `${rule.doc} is missing`).toBe(true);
    expect(markdown.split('\n')[0]).toBe(`# ${rule.id} ${rule.name}`);
    expect(markdown).toContain(`**Severity:** ${rule.severity}`);
    for (const section of REQUIRED_SECTIONS) expect(markdown, `missing "${section}"`).toContain(`\n${section}\n`);
  });

  it('has bad and good examples', () => {
    expect(examples.filter((example) => example.verdict === 'bad').length).toBeGreaterThanOrEqual(1);
    expect(examples.filter((example) => example.verdict === 'good').length).toBeGreaterThanOrEqual(1);
  });

  it('quotes the message its first bad example is reported with', () => {
    const first = examples.find((example) => example.verdict === 'bad');
    const finding = first ? findingsOf(first.code).find((candidate) => candidate.ruleId === rule.id) : undefined;
    expect(finding, 'the first bad example must be reported with this rule').toBeDefined();
    expect(markdown).toContain(finding!.message);
  });

  const cases = examples.map((example) => [`${example.verdict} example at line ${example.docLine}`, example] as const);
  it.each(cases)('%s', (_name, example) => {
    const actual = actualFindings(example.code);
    if (example.verdict === 'good') {
      expect(actual).toEqual([]);
      return;
    }
    const expected = expectedFindings(example.code);
    expect(expected.some((finding) => finding.endsWith(`:${rule.id}`)), 'a bad example must announce its own rule').toBe(true);
    expect(actual).toEqual(expected);
  });
});

describe('rules/README.md', () => {
  it('lists every rule with a link to its document', () => {
    const catalog = readFileSync(`${rulesDirectory}README.md`, 'utf8');
    for (const rule of RULES) {
      expect(catalog).toContain(`[${rule.id}](${rule.doc})`);
      expect(catalog).toContain(rule.name);
    }
  });
});
