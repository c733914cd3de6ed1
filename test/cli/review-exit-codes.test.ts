/** `ringlint review` exits as scan does: errors fail, warnings only past --max-warnings, nothing analysed is 2. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, git, isolatedCache } from '../review/git-harness.js';
import { KERNEL_EQUALITY_C, makeTempDir, PLAIN_C, removeTempDir, runCli, writeTree } from './cli-harness.js';

/** TPACKET_V3 block ownership by KERNEL equality: RL004, a warning. */
const V3_BLOCK_EQUALITY_C = 'int ready(struct tpacket_block_desc *b) {\n\tif (b->hdr.bh1.block_status == TP_STATUS_KERNEL) return 0;\n\treturn 1;\n}\n';

describe('ringlint review exit codes', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    git(dir, 'init', '-q');
    await writeTree(dir, { 'plain.c': PLAIN_C });
    commitAll(dir, 'base');
    git(dir, 'tag', 'base');
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  const review = (...args: string[]) => runCli(['review', '--base', 'base', ...args], { cwd: dir, env: isolatedCache(dir) });

  it('passes a change that brings only a warning, unless --max-warnings is exceeded, and fails one that brings an error', async () => {
    await writeTree(dir, { 'v3.c': V3_BLOCK_EQUALITY_C });
    const warned = await review();
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/^v3\.c:2:6: warning: .* \[RL004\]$/m);
    const strict = await review('--max-warnings', '0');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('ringlint: 1 warning, more than --max-warnings 0 allows');
    await writeTree(dir, { 'consumer.c': KERNEL_EQUALITY_C });
    expect((await review('--max-warnings', '5')).code).toBe(1);
  });

  it('exits 2 when the repository holds no file ringlint reads', async () => {
    const empty = await makeTempDir();
    try {
      git(empty, 'init', '-q');
      await writeTree(empty, { 'README.txt': 'nothing to see\n' });
      commitAll(empty, 'base');
      const run = await runCli(['review', '--base', 'HEAD'], { cwd: empty, env: isolatedCache(empty) });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('ringlint: nothing to analyse: no file under . is one ringlint reads');
    } finally {
      await removeTempDir(empty);
    }
  });
});
