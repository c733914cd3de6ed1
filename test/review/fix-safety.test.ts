/**
 * --fix as careful as git's checkout (issue 15, findings F4, F5, F12, F21, F22), through the CLI:
 * an edit made while it runs survives, bytes outside the rewritten test stay as they were, owner,
 * group and mode are kept, read-only files and symbolic links out of the roots are left alone and
 * listed, and a killed run's temporary files go on the next run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { appendFile, chmod, chown, lstat, readdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir, runCli, writeTree } from '../cli/cli-harness.js';

const NOBODY = 65534;
const RUNNING_AS_ROOT = process.getuid?.() === 0;

const TEST = 'h->tp_status != TP_STATUS_KERNEL';
const FIXED = '(h->tp_status & TP_STATUS_USER) != 0';
/** A consumer whose one ownership test (RL001) --fix rewrites; `before` goes on the test's line, `newline` ends lines. */
function consumer({ name = 'f', before = '', after = '', newline = '\n' } = {}): string {
  return ['#include <linux/if_packet.h>', `void ${name}(struct tpacket2_hdr *h)`, '{', `\t${before}if (${TEST})${after}`, '\t\tg();', '}', ''].join(newline);
}

describe('ringlint scan --fix is careful', { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('changes only the bytes of the rewritten test: Latin-1, invalid UTF-8, a BOM, CRLF and astral characters stay (F5)', async () => {
    const root = join(dir, 'bytes');
    // Latin-1 bytes (invalid as UTF-8) before the edit on its line, after it, and in a comment above.
    const latin1 = consumer({ before: '/*\xe7*/ ', after: ' /* \xff\xfe Fran\xe7ois */', newline: '\r\n' });
    const withBom = `\ufeff${consumer({ before: '/* é🙂 */ ', newline: '\r\n' })}`;
    // A lone continuation byte and a truncated sequence at the very end of the file.
    const truncatedEnd = `${consumer({ after: ' /* \x80 */' })}/* \xe2\x82`;
    await writeTree(root, {
      'latin1.c': Buffer.from(latin1, 'latin1'),
      'bom.c': Buffer.from(withBom, 'utf8'),
      'truncated.c': Buffer.from(truncatedEnd, 'latin1'),
    });
    const run = await runCli(['scan', '--fix', '--no-cache'], { cwd: root });
    expect(run.stderr).toContain('fixed 3 findings in 3 files');
    expect(await readFile(join(root, 'latin1.c'))).toEqual(Buffer.from(latin1.replace(TEST, FIXED), 'latin1'));
    expect(await readFile(join(root, 'bom.c'))).toEqual(Buffer.from(withBom.replace(TEST, FIXED), 'utf8'));
    expect(await readFile(join(root, 'truncated.c'))).toEqual(Buffer.from(truncatedEnd.replace(TEST, FIXED), 'latin1'));
  });

  it('leaves a file alone when the text it would rewrite is not UTF-8, and says why (F5)', async () => {
    const root = join(dir, 'inside');
    // The operand keeps its spelling, comment included: the fix would have to re-encode the byte.
    const source = Buffer.from(consumer().replace('h->tp_status !=', 'READ_ONCE(h->tp_status /* \xe7 */) !='), 'latin1');
    await writeTree(root, { 'a.c': source });
    const run = await runCli(['scan', '--fix', '--no-cache'], { cwd: root });
    expect(await readFile(join(root, 'a.c'))).toEqual(source);
    expect(run.stderr).toMatch(/^ringlint: a\.c: fix not applied: the text to rewrite holds bytes that are not UTF-8 \(byte offset \d+\)$/m);
    expect(run.code).toBe(1);
  });

  it('keeps the owner, group and mode of a file it rewrites (F12)', { skip: !RUNNING_AS_ROOT }, async () => {
    const root = join(dir, 'owner');
    await writeTree(root, { 'u.c': consumer() });
    await chown(join(root, 'u.c'), NOBODY, NOBODY);
    await chmod(join(root, 'u.c'), 0o640);
    const run = await runCli(['scan', '--fix', '--no-cache'], { cwd: root });
    expect(run.stderr).toContain('fixed 1 finding in 1 file');
    expect(await readFile(join(root, 'u.c'), 'utf8')).toBe(consumer().replace(TEST, FIXED));
    const after = await stat(join(root, 'u.c'));
    expect({ uid: after.uid, gid: after.gid, mode: after.mode & 0o7777 }).toEqual({ uid: NOBODY, gid: NOBODY, mode: 0o640 });
  });

  it('skips and lists a read-only file, also as root (F12)', async () => {
    const root = join(dir, 'readonly');
    await writeTree(root, { 'r.c': consumer(), 'w.c': consumer() });
    await chmod(join(root, 'r.c'), 0o444);
    const before = await stat(join(root, 'r.c'));
    const run = await runCli(['scan', '--fix', '--no-cache'], { cwd: root });
    expect(run.stderr).toMatch(/^ringlint: r\.c: fix not written: the file is read-only \(mode 0444\)$/m);
    expect(run.stderr).toContain('fixed 1 finding in 1 file');
    expect(await readFile(join(root, 'r.c'), 'utf8')).toBe(consumer());
    expect((await stat(join(root, 'r.c'))).ino).toBe(before.ino);
    expect(await readFile(join(root, 'w.c'), 'utf8')).toBe(consumer().replace(TEST, FIXED));
  });

  it('as a user, skips its own read-only files and files whose owner it cannot keep (F12)', { skip: !RUNNING_AS_ROOT }, async () => {
    // The directory is the user's: renaming over any file in it would succeed.
    const root = join(dir, 'as-user');
    await writeTree(root, { 'mine-ro.c': consumer(), 'roots.c': consumer(), 'mine.c': consumer() });
    await chown(root, NOBODY, NOBODY);
    for (const file of ['mine-ro.c', 'mine.c']) await chown(join(root, file), NOBODY, NOBODY);
    await chmod(join(root, 'mine-ro.c'), 0o444);
    await chmod(join(root, 'roots.c'), 0o666);
    const run = await runCli(['scan', '--fix', '--no-cache'], { cwd: root, uid: NOBODY, gid: NOBODY });
    expect(run.stderr).toMatch(/^ringlint: mine-ro\.c: fix not written: the file is read-only \(mode 0444\)$/m);
    expect(run.stderr).toMatch(/^ringlint: roots\.c: fix not written: it belongs to uid 0, gid 0, and this user cannot give the rewritten file that owner$/m);
    expect(await readFile(join(root, 'mine-ro.c'), 'utf8')).toBe(consumer());
    expect(await readFile(join(root, 'roots.c'), 'utf8')).toBe(consumer());
    expect((await stat(join(root, 'roots.c'))).uid).toBe(0);
    expect(await readFile(join(root, 'mine.c'), 'utf8')).toBe(consumer().replace(TEST, FIXED));
  });

  it('never replaces a symbolic link: refuses one out of the roots, writes the target of one inside (F22)', async () => {
    const outside = join(dir, 'elsewhere');
    const root = join(dir, 'links');
    await writeTree(outside, { 'o.c': consumer() });
    await writeTree(root, { 'src/real.c': consumer() });
    await symlink(join(outside, 'o.c'), join(root, 'out.c'));
    await symlink('src/real.c', join(root, 'alias.c'));

    const refused = await runCli(['scan', 'out.c', '--fix', '--no-cache'], { cwd: root });
    expect(refused.stderr).toMatch(/^ringlint: out\.c: fix not applied: a symbolic link to .*elsewhere\/o\.c, outside the scanned roots$/m);
    expect((await lstat(join(root, 'out.c'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(outside, 'o.c'), 'utf8')).toBe(consumer());

    const written = await runCli(['scan', 'alias.c', 'src', '--fix', '--no-cache'], { cwd: root });
    expect(written.stderr).toContain('fixed 1 finding in 1 file');
    expect((await lstat(join(root, 'alias.c'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(root, 'src/real.c'), 'utf8')).toBe(consumer().replace(TEST, FIXED));
  });

  it("removes a killed run's temporary files, and only those (F21)", async () => {
    const root = join(dir, 'leftovers');
    await writeTree(root, { 'a.c': consumer() });
    const deadPid = spawnSync('true').pid;
    const leftovers = {
      dead: `.a.c.ringlint-${deadPid}-0123abcd.tmp`,
      live: `.a.c.ringlint-${process.pid}-89abcdef.tmp`,
      otherName: `.a.c.ringlint-${deadPid}-partial.tmp`,
      noDot: `a.c.ringlint-${deadPid}-0123abcd.tmp`,
    };
    for (const name of Object.values(leftovers)) await writeFile(join(root, name), 'half a file');
    const run = await runCli(['scan', '--fix', '--no-cache'], { cwd: root });
    expect(run.stderr).toContain('fixed 1 finding in 1 file');
    expect((await readdir(root)).sort()).toEqual([leftovers.live, leftovers.otherName, 'a.c', leftovers.noDot].sort());
  });

  it('skips and lists a file edited while the fix runs (F4)', { skip: !readsMoveAtime() }, async () => {
    const root = join(dir, 'concurrent');
    // slow.c takes seconds to analyse; every file is read before any is analysed, and fixes are
    // written after all are. It is read-only, so that nothing is written and no second round runs.
    const slow = `void s(struct tpacket2_hdr *h)\n{\n${'\tif (h->tp_status == 0) g();\n'.repeat(6_000)}}\n`;
    await writeTree(root, { 't.c': consumer(), 'slow.c': slow });
    await chmod(join(root, 'slow.c'), 0o444);
    const target = join(root, 't.c');
    // An atime older than the mtime moves on the next read (relatime): the first sign of the scan reading t.c.
    const longAgo = new Date('2000-01-01T00:00:00Z');
    await utimes(target, longAgo, (await stat(target)).mtime);
    let pid: number | undefined;
    const running = runCli(['scan', '--fix', '--no-cache'], { cwd: root, onSpawn: (spawned) => (pid = spawned) });
    let exited = false;
    void running.then(() => (exited = true));
    await until(() => exited || statSync(target).atimeMs > longAgo.getTime(), 'the scan to read t.c (is the file system mounted noatime?)');
    // Then a quarter of a second of the scan's CPU time: its own read of t.c follows the walk's at
    // once, the analysis of slow.c takes seconds. CPU time, unlike a sleep, does not stretch under load.
    const started = cpuSeconds(pid!);
    await until(() => exited || cpuSeconds(pid!) - started >= 0.25, 'a quarter of a second of CPU time');
    expect(exited, 'the scan ended before t.c could be edited: make slow.c slower').toBe(false);
    await appendFile(target, '/* mine */\n');
    const run = await running;
    expect(run.stderr).toMatch(/^ringlint: t\.c: fix not written: the file changed since it was scanned; run --fix again$/m);
    expect(run.stderr).toMatch(/^ringlint: slow\.c: fix not written: the file is read-only \(mode 0444\)$/m);
    expect(run.stderr).not.toContain('fixed');
    expect(await readFile(target, 'utf8')).toBe(`${consumer()}/* mine */\n`);
    expect(run.code).toBe(1);
  });
});

/** Whether a read updates an atime older than the mtime here (relatime and strictatime do; noatime does not). */
function readsMoveAtime(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'ringlint-atime-'));
  try {
    const path = join(probe, 'probe');
    writeFileSync(path, 'x');
    utimesSync(path, new Date('2000-01-01T00:00:00Z'), new Date());
    const before = statSync(path).atimeMs;
    readFileSync(path);
    return statSync(path).atimeMs > before;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** User plus system CPU time of a process, all its threads (proc(5), fields 14 and 15). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Infinity; // gone: the caller sees it exit
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
