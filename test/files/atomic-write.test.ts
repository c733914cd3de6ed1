/**
 * files/atomic-write.ts: the last look before a file is replaced, and what the new file keeps. The
 * CLI tests (test/review/fix-safety.test.ts) show the same through --fix; here the file is changed
 * exactly between the read and the write, which a CLI run leaves to timing.
 */
import { execFileSync } from 'node:child_process';
import { chmod, chown, lstat, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileNotReplaced, readSnapshot, replaceFile } from '../../src/files/atomic-write.js';
import { makeTempDir, removeTempDir } from '../cli/cli-harness.js';

const NOBODY = 65534;
const RUNNING_AS_ROOT = process.getuid?.() === 0;

describe('replaceFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('replaces a file that is still as read', async () => {
    const path = join(dir, 'plain.c');
    await writeFile(path, 'old\n');
    await replaceFile(path, Buffer.from('new\n'), await readSnapshot(path));
    expect(await readFile(path, 'utf8')).toBe('new\n');
    expect(await readdir(dir)).toEqual(['plain.c']);
  });

  it('leaves a file edited after it was read, even with its size and mtime put back', async () => {
    const path = join(dir, 'edited.c');
    await writeFile(path, 'old\n');
    const original = await readSnapshot(path);
    const { atime, mtime } = await stat(path);
    await writeFile(path, 'new\n'); // same size
    await utimes(path, atime, mtime);
    const attempt = replaceFile(path, Buffer.from('fix\n'), original);
    await expect(attempt).rejects.toThrow(FileNotReplaced);
    await expect(attempt).rejects.toThrow('the file changed while its new content was being written');
    expect(await readFile(path, 'utf8')).toBe('new\n');
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves a file that became a symbolic link after it was read, and what it points to', async () => {
    const path = join(dir, 'became-link.c');
    const target = join(dir, 'target.txt');
    await writeFile(path, 'old\n');
    await writeFile(target, 'KEEP\n');
    const original = await readSnapshot(path);
    await rm(path);
    await symlink(target, path);
    await expect(replaceFile(path, Buffer.from('fix\n'), original)).rejects.toThrow(FileNotReplaced);
    expect((await lstat(path)).isSymbolicLink()).toBe(true);
    expect(await readFile(target, 'utf8')).toBe('KEEP\n');
  });

  it('keeps the owner, group and set-group-ID mode of the file it replaces', { skip: !RUNNING_AS_ROOT }, async () => {
    const path = join(dir, 'owned.c');
    await writeFile(path, 'old\n');
    await chown(path, NOBODY, NOBODY);
    await chmod(path, 0o2750);
    await replaceFile(path, Buffer.from('new\n'), await readSnapshot(path));
    const after = await stat(path);
    expect({ uid: after.uid, gid: after.gid, mode: after.mode & 0o7777 }).toEqual({ uid: NOBODY, gid: NOBODY, mode: 0o2750 });
  });

  it('writes a new file only if none has appeared by then', async () => {
    const path = join(dir, 'new.json');
    await replaceFile(path, Buffer.from('{}\n'), undefined);
    expect(await readFile(path, 'utf8')).toBe('{}\n');
    await expect(replaceFile(path, Buffer.from('[]\n'), undefined)).rejects.toThrow('a file of that name appeared while it was being written');
    expect(await readFile(path, 'utf8')).toBe('{}\n');
  });
});

describe('readSnapshot', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('follows no symbolic link and waits on no FIFO', async () => {
    await writeFile(join(dir, 'real.c'), 'x\n');
    await symlink('real.c', join(dir, 'link.c'));
    execFileSync('mkfifo', [join(dir, 'fifo.c')]);
    await expect(readSnapshot(join(dir, 'link.c'))).rejects.toThrow('it is a symbolic link');
    await expect(readSnapshot(join(dir, 'fifo.c'))).rejects.toThrow('it is not a regular file');
  });
});
