/**
 * F23: a standard output that cannot be written. A pipe closed early (`| head -1`) ends the run
 * quietly with its own exit status; a full device (`> /dev/full`) or a full file system is said
 * on standard error and exits 2. Through a real shell, as users meet them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeCheckSkipReason, SWEEP_LOCK } from '../runtime/check-harness.js';
import { commitAll, git } from '../review/git-harness.js';
import { makeTempDir, REPO_ROOT, removeTempDir, writeTree } from './cli-harness.js';

const CLI = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
/** What an unhandled stream error prints. */
const CRASH = /Unhandled 'error' event|\n\s+at /;

/** Runs `script` in bash with $RL the CLI; its own exit status and both outputs. */
function shell(script: string, cwd: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('bash', ['-c', `set -o pipefail; ${script}`], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, RL: `${process.execPath} ${CLI}`, XDG_CACHE_HOME: join(cwd, '.cache') },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('a standard output that cannot be written', { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    // 600 findings: a text report of ~200 KB, more than a pipe holds, so `head -1` closes it mid-write.
    const tests = Array.from({ length: 600 }, (_, index) => `\tif (h->tp_status != TP_STATUS_KERNEL) g(${index});`).join('\n');
    await writeTree(dir, { 'many.c': `void f(struct tpacket2_hdr *h)\n{\n${tests}\n}\n` });
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('closed early by its reader: quiet, and the exit status of the run (pipefail still sees the findings)', () => {
    for (const args of ['scan --no-cache', 'scan', 'scan', 'scan --format json --no-cache']) {
      const run = shell(`$RL ${args} | head -1; echo "ringlint=\${PIPESTATUS[0]}"`, dir);
      expect(run.stdout).toMatch(/ringlint=1\n$/);
      expect(run.stdout.split('\n')).toHaveLength(3); // head's line, the status, the end
      expect(run.stderr).toBe('');
    }
  });

  it('on a full device: said, exit 2', () => {
    for (const args of ['scan --no-cache', 'scan --format json', 'scan --format sarif --no-cache']) {
      const run = shell(`$RL ${args} > /dev/full`, dir);
      expect(run.status).toBe(2);
      expect(run.stderr).toBe('ringlint: cannot write to standard output: no space left on device (ENOSPC)\n');
    }
  });

  it('review on a full device: exit 2', async () => {
    const repo = join(dir, 'repo');
    await mkdir(repo);
    await writeTree(repo, { 'a.c': 'int x;\n' });
    git(repo, 'init', '-q');
    commitAll(repo, 'base');
    await writeTree(repo, { 'a.c': 'void f(struct tpacket2_hdr *h) { if (h->tp_status != TP_STATUS_KERNEL) g(); }\n' });
    const run = shell('$RL review --base HEAD > /dev/full', repo);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('ringlint: cannot write to standard output: no space left on device (ENOSPC)\n');
  });

  // A file system of 16 KB, filled: a mount namespace of its own, so nothing is left mounted.
  it.runIf(process.geteuid?.() === 0 && existsSync('/usr/bin/unshare'))('on a full file system: baseline and --output say so and exit 2', () => {
    const full = join(dir, 'full');
    const run = shell(
      `mkdir -p ${full} && unshare --mount --propagation private bash -c '` +
        `mount -t tmpfs -o size=16k none ${full} && (head -c 1M /dev/zero > ${full}/filler 2>/dev/null; true) && ` +
        `{ $RL baseline -o ${full}/baseline.json; echo "baseline=$?"; $RL scan --output ${full}/report.json --format json --no-cache; echo "scan=$?"; }'`,
      dir,
    );
    expect(run.stdout).toBe('baseline=2\nscan=2\n');
    expect(run.stderr).not.toMatch(CRASH);
    expect(run.stderr).toMatch(/^ringlint: not writing the baseline .*baseline\.json: no space left on device \(ENOSPC\)$/m);
    expect(run.stderr).toMatch(/^ringlint: cannot write the report to .*report\.json: no space left on device \(ENOSPC\)$/m);
  });

  const checkSkip = runtimeCheckSkipReason();
  it.skipIf(checkSkip !== null)('check --json on a full device: exit 2; with its reader gone: the status of its verdict', () => {
    // `true` maps no ring: an inconclusive verdict (3) within the start timeout, in under a second.
    const check = `flock --shared ${SWEEP_LOCK} $RL check --json --start-timeout 500 -- true {iface} {out}`;
    const full = shell(`${check} > /dev/full`, dir);
    expect(full.status).toBe(2);
    expect(full.stderr).toBe('ringlint: cannot write to standard output: no space left on device (ENOSPC)\n');
    // `true` has exited long before the verdict is printed.
    const closed = shell(`${check} | true; echo "ringlint=\${PIPESTATUS[0]}"`, dir);
    expect(closed.stdout).toBe('ringlint=3\n');
    expect(closed.stderr).not.toMatch(CRASH);
  });
});
