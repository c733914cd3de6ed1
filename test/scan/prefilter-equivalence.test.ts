/**
 * The prefilter only decides which files are parsed; findings must be exactly those of parsing
 * everything. Checked on the fixtures, on Debian's libpcap when it has been fetched, on a tree
 * built to need the prefilter's later rounds, and with both engines (ringscan, and Node's search where it is not built).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, REPO_ROOT, removeTempDir, scanJson, writeTree } from '../cli/cli-harness.js';
import { git } from '../review/git-harness.js';

const LIBPCAP = join(REPO_ROOT, '.cache', 'corpus', 'libpcap-1.10.3');
const ENGINES = [{ RINGLINT_PREFILTER: 'ringscan' }, { RINGLINT_PREFILTER: 'node' }];

interface Scan {
  findings: string[];
  filesScanned: number;
  filesParsed: number;
}

async function scan(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Scan> {
  const { report } = await scanJson(args, { cwd, env });
  const accounting = report as unknown as { filesScanned: number; filesParsed: number };
  return {
    findings: report.findings.map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.ruleId}`),
    filesScanned: accounting.filesScanned,
    filesParsed: accounting.filesParsed,
  };
}

/** A tree built to need the prefilter's later rounds. */
const LATER_ROUND_TREE: Record<string, string> = {
  // A helper whose file names the status word, called from a file that never does.
  'lib/ring.c': '#include "ring.h"\nunsigned ring_ready(struct tpacket2_hdr *h) { return __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_KERNEL; }\n',
  // Included by quoted path, and walked: counted once.
  'lib/ring.h': 'unsigned ring_ready(struct tpacket2_hdr *h);\n',
  'app/consumer.c': 'extern unsigned ring_ready(void *h);\nvoid take(void *h) {\n\tif (ring_ready(h))\n\t\tconsume(h);\n}\n',
  // A wrapper macro in a header that never names the status word, not included by quoted path.
  'include/load.h': '#define LOAD_SLOT(x) (x)\n',
  'app/wrapped.c': 'void w(struct tpacket2_hdr *h) {\n\tif (LOAD_SLOT(h->tp_status) != 0)\n\t\tconsume(h, h->tp_len);\n\t__sync_synchronize();\n}\n',
  // A document is analysed block by block, and like files only blocks whose own bytes can matter
  // are parsed: the loop's block is found through the macro of the block above it, the helper's
  // through the call in app/checked.c, and the last block never.
  'docs/ring.md': [
    '# Reading the ring', '', '```c', '#define SLOT_READY(h) ((h)->tp_status != TP_STATUS_KERNEL)', '```', '',
    '```c', 'void loop(struct tpacket2_hdr *h) {', '\twhile (!SLOT_READY(h))', '\t\tpoll(&pfd, 1, -1);', '\tconsume(h);', '}', '```', '',
    '```c', 'int slot_ok(unsigned s) { return s != 0; }', '```', '',
    '```c', 'int unrelated(int x) { return x == 0; }', '```', '',
  ].join('\n'),
  'app/checked.c': 'void c(struct tpacket2_hdr *h) {\n\tif (slot_ok(h->tp_status))\n\t\tconsume(h);\n}\n',
  // Unrelated files the prefilter must leave unparsed.
  ...Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`noise/file${index}.c`, `int f${index}(int x) { return x == 0; }\n`])),
};

describe('the prefilter', { timeout: 120_000 }, () => {
  let tree: string;

  beforeAll(async () => {
    tree = await makeTempDir();
    await writeTree(tree, LATER_ROUND_TREE);
  });
  afterAll(async () => {
    await removeTempDir(tree);
  });

  it.each(ENGINES)('finds through later rounds what parsing everything finds ($RINGLINT_PREFILTER engine)', async (env) => {
    const everything = await scan(['--no-prefilter'], tree, env);
    const prefiltered = await scan([], tree, env);
    expect(everything.findings).toEqual([
      'app/checked.c:2:6 RL001', 'app/checked.c:2:6 RL005', 'app/consumer.c:3:6 RL001', 'app/wrapped.c:2:6 RL001',
      'docs/ring.md:9:10 RL001', 'docs/ring.md:9:10 RL005',
    ]);
    expect(prefiltered.findings).toEqual(everything.findings);
    expect(everything.filesParsed).toBe(27);
    expect(prefiltered.filesParsed).toBeLessThan(8);
    expect(everything.filesScanned).toBe(27);
    expect(prefiltered.filesScanned).toBe(27);
  });

  it.each(ENGINES)('gives the fixtures the same findings either way ($RINGLINT_PREFILTER engine)', async (env) => {
    // --no-ignore: ringscan walks only where no .gitignore applies, and this repository has some.
    const everything = await scan(['fixtures', '--no-prefilter', '--no-ignore'], REPO_ROOT, env);
    const prefiltered = await scan(['fixtures', '--no-ignore'], REPO_ROOT, env);
    expect(everything.findings.length).toBeGreaterThan(50);
    expect(prefiltered.findings).toEqual(everything.findings);
    expect(prefiltered.filesScanned).toBe(everything.filesScanned);
  });

  it('gives the same findings in a git work tree, where ignore files choose the files, with both engines', async () => {
    const repo = await makeTempDir();
    try {
      await writeTree(repo, {
        '.gitignore': 'generated/\n',
        ...Object.fromEntries(Object.entries(LATER_ROUND_TREE).map(([path, text]) => [`src/${path}`, text])),
        'generated/copy.c': 'int g(struct tpacket2_hdr *h) { if (h->tp_status != TP_STATUS_KERNEL) return 1; return 0; }\n',
      });
      git(repo, 'init', '-q');
      const scans = await Promise.all(ENGINES.map((env) => scan([], repo, env)));
      expect(scans[0]!.findings).toEqual([
        'src/app/checked.c:2:6 RL001', 'src/app/checked.c:2:6 RL005', 'src/app/consumer.c:3:6 RL001', 'src/app/wrapped.c:2:6 RL001',
        'src/docs/ring.md:9:10 RL001', 'src/docs/ring.md:9:10 RL005',
      ]);
      for (const other of scans.slice(1)) {
        expect(other.findings).toEqual(scans[0]!.findings);
        expect(other.filesScanned).toBe(scans[0]!.filesScanned);
      }
      expect(scans[0]!.filesScanned).toBe(Object.keys(LATER_ROUND_TREE).length);
    } finally {
      await removeTempDir(repo);
    }
  });

  it.runIf(existsSync(LIBPCAP))('gives libpcap the same findings while parsing a fraction of it', async () => {
    const everything = await scan([LIBPCAP, '--no-prefilter'], REPO_ROOT);
    const prefiltered = await scan([LIBPCAP], REPO_ROOT);
    expect(prefiltered.findings).toEqual(everything.findings);
    expect(prefiltered.filesScanned).toBe(everything.filesScanned);
    expect(prefiltered.filesParsed * 5).toBeLessThan(everything.filesParsed);
  });
});
