/**
 * Inline suppressions through the CLI: a reason is required, unused ones are reported, neither poses
 * as a finding; and ESLint's own disable comments are honoured as ESLint reads them, so one comment
 * serves `ringlint scan`/`review` and `eslint` alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir, runCli, scanJson, writeTree } from '../cli/cli-harness.js';
import { commitAll, git, isolatedCache } from './git-harness.js';

const CONSUMER =
  'int f(struct tpacket2_hdr *h)\n' +
  '{\n' +
  '\t/* ringlint-disable-next-line RL001 -- the ring is V3-only here, checked at setup */\n' +
  '\tif (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_KERNEL)\n' +
  '\t\treturn 1;\n' +
  '\t// ringlint-disable-next-line RL001\n' +
  '\tif (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) == 0)\n' +
  '\t\treturn 2;\n' +
  '\t// ringlint-disable-next-line RL002, RL003 -- nothing to hide on the next line\n' +
  '\treturn 0;\n' +
  '}\n' +
  'const char *s = "// ringlint-disable-next-line RL001 -- inside a string, not a comment";\n';

const WHOLE_FILE =
  '/* ringlint-disable-file RL001 -- generated from the kernel selftests, kept verbatim */\n' +
  'int g(struct tpacket2_hdr *h)\n{\n\treturn __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_KERNEL;\n}\n' +
  'int k(struct tpacket2_hdr *h)\n{\n\tif (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) == 0) return 0;\n\treturn 1;\n}\n';

describe('inline suppressions', { timeout: 30_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    await writeTree(dir, { 'consumer.c': CONSUMER, 'generated.c': WHOLE_FILE, 'unknown.c': '// ringlint-disable-file RL999 -- typo\n' });
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('hides a finding only when the suppression names its rule and gives a reason', async () => {
    const { run, report } = await scanJson([], { cwd: dir, env: isolatedCache(dir) });
    expect(run.code).toBe(1);
    expect(report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`)).toEqual(['consumer.c:7 RL001']);
    // The JSON contract stays exact: problems with suppressions go to standard error.
    expect(Object.keys(report)).not.toContain('suppressionProblems');
    expect(run.stderr).toContain('ringlint: suppression problems:\n');
    expect(run.stderr).toContain('  consumer.c:6: ringlint-disable-next-line RL001 has no reason ("-- why"), so it suppresses nothing\n');
    expect(run.stderr).toContain('  consumer.c:9: unused suppression: no RL002 finding on line 10\n');
    expect(run.stderr).toContain('  consumer.c:9: unused suppression: no RL003 finding on line 10\n');
    expect(run.stderr).toContain('  unknown.c:1: ringlint-disable-file names an unknown rule "RL999"\n');
    expect(run.stderr).not.toContain('consumer.c:12');
    expect(run.stderr).not.toContain('generated.c');
  });

  it('works in TypeScript sources too, and ignores suppression examples in documents', async () => {
    const root = `${dir}/ts`;
    await writeTree(root, {
      'consumer.ts':
        'const TP_STATUS_KERNEL = 0;\n' +
        'export function ready(ring: DataView, frame: number): boolean {\n' +
        '  // ringlint-disable-next-line RL001 -- replays a recorded ring image, no kernel involved\n' +
        '  return ring.getUint32(frame, true) !== TP_STATUS_KERNEL;\n' +
        '}\n',
      'guide.md': '# Suppressing\n\n```c\n// ringlint-disable-next-line RL001\nint x;\n```\n',
    });
    const { run, report } = await scanJson([], { cwd: root, env: isolatedCache(dir) });
    expect(report.findings).toEqual([]);
    expect(run.stderr).toBe('');
  });

  it('carries suppression problems as SARIF notifications and a Markdown section', async () => {
    const sarif = await runCli(['scan', '--format', 'sarif'], { cwd: dir, env: isolatedCache(dir) });
    const notifications = (JSON.parse(sarif.stdout) as {
      runs: Array<{ invocations: Array<{ toolExecutionNotifications: Array<{ message: { text: string } }> }> }>;
    }).runs[0]!.invocations[0]!.toolExecutionNotifications.map((notification) => notification.message.text);
    expect(notifications).toContain('unused suppression: no RL002 finding on line 10');
    const markdown = await runCli(['scan', '--format', 'markdown'], { cwd: dir, env: isolatedCache(dir) });
    expect(markdown.stdout).toContain('**Suppression problems**');
  });
});

/** One unsafe test per line; `at(n)` says which lines still report RL001. */
const UNSAFE = '\tif (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_KERNEL) return 1;';
const cFunction = (...lines: string[]): string => `int f(struct tpacket2_hdr *h)\n{\n${lines.join('\n')}\n\treturn 0;\n}\n`;

describe('ESLint disable comments in ringlint scan and review', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  async function reported(files: Record<string, string>): Promise<{ findings: string[]; stderr: string }> {
    const root = await makeTempDir();
    try {
      await writeTree(root, files);
      const { run, report } = await scanJson([], { cwd: root, env: isolatedCache(dir) });
      return { findings: report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`), stderr: run.stderr };
    } finally {
      await removeTempDir(root);
    }
  }

  it.each([
    ['eslint-disable-next-line with the ESLint rule name', `\t// eslint-disable-next-line ringlint/kernel-equality -- replayed ring image\n${UNSAFE}`, []],
    ['eslint-disable-next-line naming no rule (all rules, as in ESLint)', `\t/* eslint-disable-next-line */\n${UNSAFE}`, []],
    ['eslint-disable-line', `${UNSAFE} // eslint-disable-line ringlint/kernel-equality`, []],
    ['eslint-disable-next-line naming only another plugin\'s rule', `\t// eslint-disable-next-line no-console, @typescript-eslint/no-unused-vars\n${UNSAFE}`, ['c.c:4 RL001']],
    ['eslint-disable-next-line naming another ringlint rule', `\t// eslint-disable-next-line ringlint/truthy-status\n${UNSAFE}`, ['c.c:4 RL001']],
    ['eslint-disable … eslint-enable (a region)', `\t/* eslint-disable ringlint/kernel-equality */\n${UNSAFE}\n${UNSAFE}\n\t/* eslint-enable ringlint/kernel-equality */\n${UNSAFE}`, ['c.c:7 RL001']],
    ['eslint-disable without eslint-enable (to the end)', `${UNSAFE}\n\t/* eslint-disable */\n${UNSAFE}`, ['c.c:3 RL001']],
    ['eslint-disable in a line comment, which ESLint ignores', `\t// eslint-disable ringlint/kernel-equality\n${UNSAFE}`, ['c.c:4 RL001']],
    ['ringlint-disable naming the rule by name', `\t// ringlint-disable-next-line kernel-equality -- replayed ring image\n${UNSAFE}`, []],
    ['ringlint-disable naming the rule by its ESLint name', `\t// ringlint-disable-next-line ringlint/kernel-equality -- replayed ring image\n${UNSAFE}`, []],
  ])('%s', async (_name, body, expected) => {
    const { findings, stderr } = await reported({ 'c.c': cFunction(body) });
    expect(findings).toEqual(expected);
    expect(stderr).toBe('');
  });

  it('honours them in TypeScript too, and reports an unknown ringlint rule but not an unused directive', async () => {
    const { findings, stderr } = await reported({
      'consumer.ts':
        'const TP_STATUS_KERNEL = 0;\n' +
        'export function ready(ring: DataView, frame: number): boolean {\n' +
        '  // eslint-disable-next-line ringlint/kernel-equality -- replays a recorded ring image\n' +
        '  return ring.getUint32(frame, true) !== TP_STATUS_KERNEL;\n' +
        '}\n' +
        '// eslint-disable-next-line ringlint/kernel-equality, ringlint/no-such-rule\n' +
        'export const unrelated = 1;\n',
    });
    expect(findings).toEqual([]);
    expect(stderr).toBe('ringlint: suppression problems:\n  consumer.ts:6: eslint-disable-next-line names an unknown rule "ringlint/no-such-rule"\n');
  });

  it('ringlint review honours them on changed lines', async () => {
    const repo = await makeTempDir();
    try {
      git(repo, 'init', '-q');
      await writeTree(repo, { 'src/ring.c': cFunction('\tif (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER) return 1;') });
      commitAll(repo, 'base');
      await writeTree(repo, { 'src/ring.c': cFunction(`\t// eslint-disable-next-line ringlint/kernel-equality -- V3-only here, checked at setup\n${UNSAFE}`, UNSAFE) });
      const review = await runCli(['review', '--base', 'main', '--format', 'json'], { cwd: repo, env: isolatedCache(dir) });
      const report = JSON.parse(review.stdout) as { findings: Array<{ file: string; line: number; ruleId: string }> };
      expect(report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`)).toEqual(['src/ring.c:5 RL001']);
    } finally {
      await removeTempDir(repo);
    }
  });
});
