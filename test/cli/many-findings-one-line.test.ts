/**
 * Issue 15, F18: 37,000 findings on one line. Every position was mapped by re-encoding the whole
 * line (fingerprints, fix regions), which took 158 s as SARIF; mapped through a table built once
 * per line it is linear. How fast is measured by `npm run bench:hostile`; this checks the answer.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir, runCli } from './cli-harness.js';

// The reproduction's 37,000 are bench:hostile's; the answer is the same at any count.
const COUNT = 5_000;
// Non-ASCII first, so that byte columns (tree-sitter's) and UTF-16 columns (the report's) differ.
const HEAD = 'void f(struct tpacket2_hdr *h){ /* état */ ';
const TEST = 'h->tp_status == 0';
const PIECE = `if (${TEST}) g(); `;

interface SarifResult {
  ruleId: string;
  locations: Array<{ physicalLocation: { region: { startLine: number; startColumn: number; endColumn: number } } }>;
  partialFingerprints: Record<string, string>;
  fixes?: Array<{ artifactChanges: Array<{ replacements: Array<{ deletedRegion: { startColumn: number; endColumn: number } }> }> }>;
}

describe('a line with 5,000 findings', { timeout: 120_000 }, () => {
  let dir: string;
  const line = `${HEAD}${PIECE.repeat(COUNT)}}`;
  beforeAll(async () => {
    dir = await makeTempDir();
    writeFileSync(join(dir, 'one.c'), `${line}\n`);
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('is reported whole in SARIF: every finding at its own column, with its own fingerprint and fix', async () => {
    const run = await runCli(['scan', '.', '--no-cache', '--format', 'sarif'], { cwd: dir });
    expect(run.code, run.stderr).toBe(1);
    const results = (JSON.parse(run.stdout) as { runs: Array<{ results: SarifResult[] }> }).runs[0]!.results;
    expect(results).toHaveLength(COUNT);
    const columnOf = (index: number): number => HEAD.length + index * PIECE.length + PIECE.indexOf(TEST) + 1;
    for (const index of [0, 1, COUNT / 2, COUNT - 1]) {
      const { region } = results[index]!.locations[0]!.physicalLocation;
      expect(region).toMatchObject({ startLine: 1, startColumn: columnOf(index), endColumn: columnOf(index) + TEST.length });
      expect(line.slice(region.startColumn - 1, region.endColumn - 1)).toBe(TEST);
      expect(results[index]!.fixes?.[0]?.artifactChanges[0]?.replacements[0]?.deletedRegion).toMatchObject({
        startColumn: columnOf(index), endColumn: columnOf(index) + TEST.length,
      });
    }
    // Identical tests in one function: fingerprints differ by rank only, and none is lost.
    const fingerprints = new Set(results.map((result) => result.partialFingerprints['ringlint/v1']));
    expect(fingerprints.size).toBe(COUNT);
  });
});
