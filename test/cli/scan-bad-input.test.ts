import { execFileSync } from 'node:child_process';
import { chmod, open, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KERNEL_EQUALITY_C, makeTempDir, removeTempDir, runCli, scanJson, writeTree, type CliRunOptions } from './cli-harness.js';

/** The user the CLI runs as when the tests run as root, so that mode 000 really is unreadable. */
const NOBODY = 65534;
const RUNNING_AS_ROOT = process.getuid?.() === 0;

/**
 * Every kind of bad input at once, next to a good consumer: the scan must finish, list each bad
 * file with its reason, and still analyse the good one.
 */
describe('ringlint scan on bad input', { timeout: 60_000 }, () => {
  let dir: string;
  const asUser: Partial<CliRunOptions> = RUNNING_AS_ROOT ? { uid: NOBODY, gid: NOBODY } : {};

  beforeAll(async () => {
    dir = await makeTempDir();
    const invalidUtf8 = Buffer.concat([
      Buffer.from('int f(struct tpacket2_hdr *h) { /* caf'),
      Buffer.from([0xe9]), // Latin-1 é, invalid as UTF-8
      Buffer.from(' */\n\tif (h->tp_status != TP_STATUS_KERNEL) return 1;\n\treturn 0;\n}\n'),
    ]);
    const depth = 10_000;
    await writeTree(dir, {
      'good.c': KERNEL_EQUALITY_C,
      'x.c': Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01'), Buffer.alloc(64)]),
      'latin1.c': invalidUtf8,
      'nested.c': `int f(struct tpacket2_hdr *h) {\n\treturn ${'('.repeat(depth)}h->tp_status != TP_STATUS_KERNEL${')'.repeat(depth)};\n}\n`,
      'secret.c': KERNEL_EQUALITY_C,
    });
    await writeHugeFile(join(dir, 'huge.c'), 50 * 1024 * 1024, 'int tp_status_table[] = { 0 };\n');
    await writeHugeFile(join(dir, 'huge-registers.h'), 9 * 1024 * 1024, '');
    await chmod(join(dir, 'secret.c'), 0o000);
    execFileSync('mkfifo', [join(dir, 'pipe.c')]);
    await symlink('loop.c', join(dir, 'loop.c'));
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('lists each bad file with its reason in JSON and still analyses the rest', async () => {
    const started = Date.now();
    const { run, report } = await scanJson([], { cwd: dir, ...asUser });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(run.code).toBe(1);
    const messageFor = (file: string): string =>
      report.errors
        .filter((error) => error.file === file)
        .map((error) => error.message)
        .join('; ');
    expect(messageFor('x.c')).toBe('binary file, skipped');
    expect(messageFor('latin1.c')).toMatch(/invalid UTF-8 at byte offset 38\b/);
    expect(messageFor('huge.c')).toMatch(/file is 50 MB, over the --max-file-size limit of 8 MB/);
    expect(messageFor('huge-registers.h')).toBe('');
    expect(messageFor('secret.c')).toMatch(/permission denied \(EACCES\)/);
    expect(messageFor('pipe.c')).toMatch(/not a regular file \(FIFO\)/);
    expect(messageFor('loop.c')).toMatch(/symlink loop/);
    expect(report.filesScanned).toBe(9);

    const flagged = new Set(report.findings.map((finding) => finding.file));
    expect(flagged.has('good.c')).toBe(true);
    expect(flagged.has('latin1.c')).toBe(true);
    // Deep nesting is the analyzer's to handle: a finding or a stated error, never a crash.
    expect(flagged.has('nested.c') || messageFor('nested.c') !== '').toBe(true);
  });

  it('lists the same files in the text summary', async () => {
    const run = await runCli(['scan'], { cwd: dir, ...asUser });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/\d+ files could not be analysed in full:\n/);
    for (const file of ['x.c', 'latin1.c', 'huge.c', 'secret.c', 'pipe.c', 'loop.c']) {
      expect(run.stdout).toMatch(new RegExp(`\\n  ${file.replace('.', '\\.')}: `));
    }
    expect(run.stdout).toMatch(/^good\.c:2:\d+: error: .* \[RL001\]$/m);
  });

  it('honours --max-file-size, and exits 2 when that leaves nothing analysed', async () => {
    const run = await runCli(['scan', '--format', 'json', '--max-file-size', '64', 'good.c'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nothing analysed');
    const report = JSON.parse(run.stdout) as { errors: unknown[]; findings: unknown[] };
    expect(report.errors).toEqual([
      {
        file: 'good.c',
        message: `file is ${KERNEL_EQUALITY_C.length} bytes, over the --max-file-size limit of 64 bytes; not analysed although it mentions the status word`,
      },
    ]);
    expect(report.findings).toEqual([]);
  });
});

/** Writes `size` bytes of C declarations, `marker` once in the middle, without holding it all in memory. */
async function writeHugeFile(path: string, size: number, marker: string): Promise<void> {
  const line = 'static const unsigned int reg_0000 = 0x00000000;\n';
  const chunk = Buffer.from(line.repeat(Math.floor((1 << 20) / line.length)));
  const file = await open(path, 'w');
  try {
    let written = 0;
    let markerWritten = marker === '';
    while (written < size) {
      if (!markerWritten && written >= size / 2) {
        written += (await file.write(marker)).bytesWritten;
        markerWritten = true;
      }
      const part = chunk.subarray(0, Math.min(chunk.length, size - written));
      written += (await file.write(part)).bytesWritten;
    }
  } finally {
    await file.close();
  }
}
