/**
 * The help names the rules as the catalog declares them: scan's and review's end with a section
 * listing every rule (id, name, severity, what --fix does), and the options that name rules (--fix,
 * check --source) name the catalog's.
 */
import { describe, expect, it } from 'vitest';
import { AUTOFIXED_RULES, RULES, ruleIdRanges, RUNTIME_LINKED_RULES } from '../../src/rules/catalog.js';
import { REPO_ROOT, runCli } from './cli-harness.js';

/** Help with commander's wrapping undone: words separated by single spaces. */
async function helpOf(command: string): Promise<string> {
  const run = await runCli([command, '--help'], { cwd: REPO_ROOT });
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

const flattened = (text: string): string => text.replace(/\s+/g, ' ');

describe('rules in the help', { timeout: 30_000 }, () => {
  it.each(['scan', 'review'])('%s --help lists every rule of the catalog, with its severity and fix', async (command) => {
    const help = await helpOf(command);
    const section = help.slice(help.indexOf('\nRules'));
    const listed = section.split('\n').filter((line) => /^ {2}RL\d{3} /.test(line));
    expect(listed.map((line) => line.trim().split(/\s+/).slice(0, 3))).toEqual(RULES.map((rule) => [rule.id, rule.name, rule.severity]));
    for (const [index, rule] of RULES.entries()) {
      expect(listed[index], rule.id).toMatch(rule.fix === 'auto' ? /rewritten by --fix$/ : rule.fix === 'suggest' ? /rewrite suggested \(ESLint\), not by --fix$/ : /no mechanical fix$/);
    }
  });

  it('--fix and check --source name the rules the catalog gives them', async () => {
    expect(flattened(await helpOf('scan'))).toContain(`--fix rewrite ${ruleIdRanges(AUTOFIXED_RULES)} ownership tests`);
    expect(flattened(await helpOf('check'))).toContain(`static findings (${ruleIdRanges(RUNTIME_LINKED_RULES)})`);
  });
});

describe('ruleIdRanges', () => {
  it('writes three or more ids in a row as a range, in catalog order', () => {
    expect(ruleIdRanges(['RL008', 'RL001', 'RL002', 'RL003', 'RL004'])).toBe('RL001–RL004, RL008');
    expect(ruleIdRanges(['RL005', 'RL006'])).toBe('RL005, RL006');
    expect(ruleIdRanges(['RL001', 'RL003', 'RL004', 'RL005', 'RL007'])).toBe('RL001, RL003–RL005, RL007');
    expect(ruleIdRanges([])).toBe('');
  });
});
