/**
 * F28: files whose lines end with a lone CR (classic Mac) are reported at the lines and columns gcc
 * gives (gcc counts a lone CR as a line end), in every format, and --fix rewrites only the test,
 * keeping every CR. Suppression comments and review's changed lines count lines the same way.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, git, isolatedCache } from '../review/git-harness.js';
import { makeTempDir, removeTempDir, runCli, writeTree } from './cli-harness.js';

/** The sweep's reproduction: gcc puts `h->tp_status == 0` at 3:6. */
const CR_ONLY = 'void f(struct tpacket2_hdr *h)\r{\r\tif (h->tp_status == 0)\r\t\tg();\r}\r';

describe('CR line ends', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('are reported at gcc positions in every format', async () => {
    const tree = join(dir, 'formats');
    await writeTree(tree, { 'cr.c': CR_ONLY });
    const env = isolatedCache(dir);
    const text = await runCli(['scan'], { cwd: tree, env });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^cr\.c:3:6: error: .*\n 3 \| \tif \(h->tp_status == 0\)\n {3}\| \t {4}\^~{16}\n/);
    // Answered from the cache: the same positions and frame.
    expect((await runCli(['scan'], { cwd: tree, env })).stdout).toBe(text.stdout);
    const json = JSON.parse((await runCli(['scan', '--format', 'json'], { cwd: tree, env })).stdout) as { findings: Array<Record<string, number>> };
    expect(json.findings[0]).toMatchObject({ line: 3, column: 6, endLine: 3, endColumn: 23 });
    const sarif = JSON.parse((await runCli(['scan', '--format', 'sarif'], { cwd: tree, env })).stdout) as {
      runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { region: Record<string, number> } }>; fixes: Array<{ artifactChanges: Array<{ replacements: Array<{ deletedRegion: Record<string, number> }> }> }> }> }>;
    };
    const result = sarif.runs[0]!.results[0]!;
    expect(result.locations[0]!.physicalLocation.region).toEqual({ startLine: 3, startColumn: 6, endLine: 3, endColumn: 23 });
    expect(result.fixes[0]!.artifactChanges[0]!.replacements[0]!.deletedRegion).toEqual({ startLine: 3, startColumn: 6, endLine: 3, endColumn: 23 });
    expect((await runCli(['scan', '--format', 'github'], { cwd: tree, env })).stdout).toMatch(/^::error file=cr\.c,line=3,col=6,endLine=3,endColumn=23,/);
    const rdjson = JSON.parse((await runCli(['scan', '--format', 'rdjson'], { cwd: tree, env })).stdout) as {
      diagnostics: Array<{ location: { range: unknown }; suggestions: Array<{ range: unknown }> }>;
    };
    expect(rdjson.diagnostics[0]!.location.range).toEqual({ start: { line: 3, column: 6 }, end: { line: 3, column: 23 } });
    expect(rdjson.diagnostics[0]!.suggestions[0]!.range).toEqual({ start: { line: 3, column: 6 }, end: { line: 3, column: 23 } });
    expect((await runCli(['scan', '--format', 'markdown'], { cwd: tree, env })).stdout).toContain('| `cr.c:3` |');
  });

  it('are kept by --fix, which rewrites the test alone', async () => {
    const tree = join(dir, 'fix');
    await writeTree(tree, { 'cr.c': CR_ONLY });
    const run = await runCli(['scan', '--fix', '--no-cache'], { cwd: tree });
    expect(run.stderr).toBe('ringlint: fixed 1 finding in 1 file\n');
    expect(run.code).toBe(0);
    expect(await readFile(join(tree, 'cr.c'), 'utf8')).toBe(CR_ONLY.replace('h->tp_status == 0', '(h->tp_status & TP_STATUS_USER) == 0'));
  });

  it('count lines for suppression comments as for findings', async () => {
    const tree = join(dir, 'suppressed');
    // A block comment: a line comment would end at the CR for gcc, and (before) at the file's end for tree-sitter.
    const suppressed = CR_ONLY.replace('{\r', '{\r\t/* ringlint-disable-next-line RL001 -- audited */\r').replace('}\r', '\tif (h->tp_status == 0)\r\t\tg();\r}\r');
    await writeTree(tree, { 'cr.c': suppressed });
    const run = await runCli(['scan', '--no-cache', '--format', 'json'], { cwd: tree });
    const report = JSON.parse(run.stdout) as { findings: Array<{ ruleId: string; line: number; column: number }> };
    expect(report.findings.map((finding) => `${finding.ruleId} ${finding.line}:${finding.column}`)).toEqual(['RL001 6:6']);
  });

  it('count lines for review as for findings: only the changed test is new', async () => {
    const tree = join(dir, 'review');
    await writeTree(tree, { 'cr.c': CR_ONLY.replace('\t\tg();\r', '\t\tg();\r\tif (h->tp_status & TP_STATUS_USER)\r\t\tg();\r') });
    git(tree, 'init', '-q');
    commitAll(tree, 'base');
    await writeFile(join(tree, 'cr.c'), CR_ONLY.replace('\t\tg();\r', '\t\tg();\r\tif (h->tp_status != TP_STATUS_KERNEL)\r\t\tg();\r'));
    const run = await runCli(['review', '--base', 'HEAD', '--format', 'json'], { cwd: tree, env: isolatedCache(tree) });
    const report = JSON.parse(run.stdout) as { findings: Array<{ ruleId: string; line: number; column: number }> };
    expect(report.findings.map((finding) => `${finding.ruleId} ${finding.line}:${finding.column}`)).toEqual(['RL001 5:6']);
  });
});
