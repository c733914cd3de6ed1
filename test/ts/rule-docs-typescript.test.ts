/**
 * The TypeScript sections of the rule documents are executable like their C examples: a `ts bad`
 * block must produce exactly its `// ringlint-expect:` findings, a `ts good` block none.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeTypeScript } from '../../src/ts/analyze.js';

const rulesDirectory = fileURLToPath(new URL('../../rules/', import.meta.url));

interface Example {
  name: string;
  verdict: 'bad' | 'good';
  code: string;
}

function examples(): Example[] {
  const found: Example[] = [];
  for (const doc of readdirSync(rulesDirectory).filter((name) => /^RL\d{3}-.*\.md$/.test(name)).sort()) {
    const lines = readFileSync(join(rulesDirectory, doc), 'utf8').split('\n');
    lines.forEach((line, index) => {
      const open = /^```ts (bad|good)\s*$/.exec(line);
      if (!open) return;
      const close = lines.findIndex((candidate, at) => at > index && /^```\s*$/.test(candidate));
      found.push({ name: `${doc}:${index + 1}`, verdict: open[1] as Example['verdict'], code: lines.slice(index + 1, close).join('\n') });
    });
  }
  return found;
}

function expected(code: string): string[] {
  return code
    .split('\n')
    .flatMap((line, index) => (/\/\/\s*ringlint-expect:\s*([A-Z0-9, ]+)/.exec(line)?.[1]?.split(',') ?? []).map((id) => `${index + 1}:${id.trim()}`))
    .sort();
}

describe('TypeScript examples in the rule documents', { timeout: 30_000 }, () => {
  it.each(examples().map((example) => [example.name, example] as const))('%s', (_name, example) => {
    const { findings, errors } = analyzeTypeScript([{ path: 'doc.ts', absolutePath: join(rulesDirectory, 'doc-example.ts'), text: example.code }]);
    expect(errors).toEqual([]);
    const actual = findings.map((finding) => `${finding.line}:${finding.ruleId}`).sort();
    expect(actual).toEqual(example.verdict === 'good' ? [] : expected(example.code));
    if (example.verdict === 'bad') expect(actual.length).toBeGreaterThan(0);
  });
});
