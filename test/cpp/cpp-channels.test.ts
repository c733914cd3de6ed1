/**
 * C++ through every channel of the CLI, as for C: discovery of each C++ extension (ringscan's walk
 * and git's), `--fix` on fixtures/cpp (nothing fixable left, every file still parses as it did),
 * suppressions, SARIF, baselines and `review` on a C++ file.
 */
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseC } from '../../src/c/parser.js';
import { parseCpp } from '../../src/cpp/parser.js';
import { syntaxErrorCount } from '../../src/tree-sitter/syntax-errors.js';
import { makeTempDir, REPO_ROOT, removeTempDir, runCli, scanJson, writeTree } from '../cli/cli-harness.js';
import { commitAll, git, isolatedCache } from '../review/git-harness.js';

/** A member function deciding ownership by `!= TP_STATUS_KERNEL` (RL001) on line `line`, in class `name`. */
const unsafeClass = (name: string): string =>
  `#include <linux/if_packet.h>\nclass ${name} {\n public:\n  bool mine(const tpacket2_hdr *h) const { return h->tp_status != TP_STATUS_KERNEL; }\n};\n`;
const CPP_EXTENSIONS = ['.cc', '.cpp', '.cxx', '.hpp', '.hh', '.hxx'];

describe('C++ through the CLI', { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it.each([
    ['ringscan walks', false],
    ['git walks', true],
  ])('finds a file of each C++ extension (%s)', async (name, inGit) => {
    const root = join(dir, name.replace(/\W+/g, '-'));
    await writeTree(root, Object.fromEntries(CPP_EXTENSIONS.map((extension, index) => [`src/ring${extension}`, unsafeClass(`Ring${index}`)])));
    if (inGit) {
      git(root, 'init', '-q');
      await writeFile(join(root, '.gitignore'), 'build/\n');
    }
    const { report } = await scanJson(['--no-cache'], { cwd: root, env: isolatedCache(dir) });
    expect(report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`).sort()).toEqual(
      CPP_EXTENSIONS.map((extension) => `src/ring${extension}:4 RL001`).sort(),
    );
  });

  it('--fix rewrites fixtures/cpp until nothing fixable is left, and every file parses as well as before', async () => {
    const root = join(dir, 'fix');
    await cp(join(REPO_ROOT, 'fixtures', 'cpp'), root, { recursive: true });
    const before = await sources(root);
    const scanned = await runCli(['scan'], { cwd: root, env: isolatedCache(dir) });
    const fixable = Number(/; (\d+) fixable with --fix/.exec(scanned.stdout)?.[1]);
    expect(fixable).toBeGreaterThan(10);

    const fixed = await runCli(['scan', '--fix'], { cwd: root, env: isolatedCache(dir) });
    expect(fixed.stderr).toMatch(new RegExp(`^ringlint: fixed ${fixable} findings in \\d+ files\\n`));
    expect(fixed.stdout).not.toContain('fixable');
    const after = await sources(root);
    const changed = [...after].filter(([path, text]) => before.get(path) !== text).map(([path]) => path);
    expect(changed).toEqual(expect.arrayContaining(['cpp-header/frame_ring.h', 'direct/member-functions.cc', 'through-helpers/ring.cc', 'c-header/ring_status.h']));
    for (const path of changed) {
      expect(syntaxErrorCount(parseCpp(after.get(path)!).rootNode), path).toBe(syntaxErrorCount(parseCpp(before.get(path)!).rootNode));
      // A header C files may include must read as it did in C too.
      if (path.endsWith('.h')) expect(syntaxErrorCount(parseC(after.get(path)!).rootNode), path).toBe(syntaxErrorCount(parseC(before.get(path)!).rootNode));
    }
    // The ordered C++ load the test read through is kept, inside the bit test.
    expect(after.get('cpp-header/frame_ring.h')).toContain(
      'return (std::atomic_ref<uint32_t>(frame(index)->tp_status).load(std::memory_order_acquire) & TP_STATUS_USER) != 0;',
    );
    const dryRun = await runCli(['scan', '--fix-dry-run'], { cwd: root, env: isolatedCache(dir) });
    expect(dryRun.stdout).toBe('');
  });

  it('suppressions, SARIF and baselines act on a C++ file as on a C file', async () => {
    const root = join(dir, 'channels');
    const file = [
      '#include <linux/if_packet.h>',
      'struct Ring {',
      '  // ringlint-disable-next-line RL001 -- this replay tool never sees IN_PROGRESS',
      '  bool replayed(const tpacket2_hdr *h) const { return h->tp_status != TP_STATUS_KERNEL; }',
      '  // eslint-disable-next-line ringlint/truthy-status',
      '  bool audited(const tpacket2_hdr *h) const { return h->tp_status; }',
      // A digit separator's quote before the comment opens no character literal.
      "  bool counted(const tpacket2_hdr *h, unsigned n) const { return n < 1'000 && h->tp_status != TP_STATUS_KERNEL; } // eslint-disable-line ringlint/kernel-equality",
      '  bool mine(const tpacket2_hdr *h) const { return h->tp_status != TP_STATUS_KERNEL; }',
      '};',
      '',
    ].join('\n');
    await writeTree(root, { 'ring.cc': file });

    const sarif = await runCli(['scan', '--format', 'sarif'], { cwd: root, env: isolatedCache(dir) });
    expect(sarif.code).toBe(1);
    expect(sarif.stderr).toBe(''); // both suppressions used, each with what it needs
    const [run] = (JSON.parse(sarif.stdout) as { runs: Array<{ results: SarifResult[] }> }).runs;
    expect(run!.results.map((result) => `${result.ruleId} ${result.locations[0]!.physicalLocation.artifactLocation.uri}:${result.locations[0]!.physicalLocation.region.startLine}`)).toEqual([
      'RL001 ring.cc:8',
    ]);
    expect(run!.results[0]!.fixes?.[0]?.artifactChanges[0]?.replacements[0]?.insertedContent.text).toBe('(h->tp_status & TP_STATUS_USER) != 0');

    const baseline = await runCli(['baseline', '--output', 'base.json'], { cwd: root, env: isolatedCache(dir) });
    expect(baseline.code).toBe(0);
    // A new member above the recorded one: only it is reported, the recorded one stays hidden though it moved.
    await writeFile(join(root, 'ring.cc'), file.replace('struct Ring {\n', 'struct Ring {\n  bool exact(const tpacket2_hdr *h) const { return h->tp_status == TP_STATUS_USER; }\n'));
    const { run: scan, report } = await scanJson(['--baseline', 'base.json'], { cwd: root, env: isolatedCache(dir) });
    expect(report.findings.map((finding) => `${finding.ruleId} ${finding.file}:${finding.line}`)).toEqual(['RL003 ring.cc:3']);
    expect(scan.stderr).toBe('');
  });

  it('review reports what a change to a C++ helper makes unsafe, at the changed definition', async () => {
    const root = join(dir, 'review');
    await writeTree(root, {
      'ring.hpp': '#include <linux/if_packet.h>\nstruct Ring {\n  bool ready(const tpacket2_hdr *h) const;\n};\n',
      'ring.cc': '#include "ring.hpp"\nbool Ring::ready(const tpacket2_hdr *h) const {\n  return std::atomic_ref<uint32_t>(h->tp_status).load(std::memory_order_acquire) & TP_STATUS_USER;\n}\n',
      'consumer.cpp': '#include "ring.hpp"\nvoid take(Ring &ring, tpacket2_hdr *h) {\n  if (ring.ready(h)) deliver(h, h->tp_len);\n}\n',
    });
    git(root, 'init', '-q');
    commitAll(root, 'clean');
    await writeFile(join(root, 'ring.cc'), '#include "ring.hpp"\nbool Ring::ready(const tpacket2_hdr *h) const {\n  return std::atomic_ref<uint32_t>(h->tp_status).load(std::memory_order_acquire) != TP_STATUS_KERNEL;\n}\n');
    const review = await runCli(['review', '--base', 'HEAD', '--format', 'json'], { cwd: root, env: isolatedCache(dir) });
    expect(review.code).toBe(1);
    const findings = (JSON.parse(review.stdout) as { findings: Array<{ ruleId: string; file: string; line: number; related: Array<{ file: string; line: number }> }> }).findings;
    expect(findings.map((finding) => `${finding.ruleId} ${finding.file}:${finding.line}`)).toEqual(['RL001 ring.cc:3']);
    expect(findings[0]!.related.map((related) => `${related.file}:${related.line}`)).toContain('consumer.cpp:3');
  });
});

interface SarifResult {
  ruleId: string;
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
  fixes?: Array<{ artifactChanges: Array<{ replacements: Array<{ insertedContent: { text: string } }> }> }>;
}

/** The C and C++ files of a tree, by path relative to it. */
async function sources(root: string): Promise<Map<string, string>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile() && /\.(c|cc|cpp|h|hpp)$/.test(entry.name)).map((entry) => join(entry.parentPath, entry.name));
  return new Map(await Promise.all(files.map(async (path) => [relative(root, path), await readFile(path, 'utf8')] as const)));
}
