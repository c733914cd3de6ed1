/**
 * Replacing a file's content as carefully as git's checkout, and a little more: readers see the old
 * or the new file, never half of one (a temporary file in the same directory, so on the same file
 * system, is renamed over it); the new file keeps the old one's owner, group and mode; and nothing
 * is replaced when the file changed since it was read, when this user may not write it, or when it
 * is not a regular file — a symbolic link in particular is neither followed nor replaced.
 */
import { randomBytes } from 'node:crypto';
import { constants, type BigIntStats } from 'node:fs';
import { access, lstat, open, readdir, rename, rm, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsErrorReason, isFsError } from './fs-error-reason.js';
import { fsPath } from './path-bytes.js';

/** A file as it was read: the stat fields that any write to it changes, and what it held. */
export interface FileSnapshot {
  stats: BigIntStats;
  /** Absent when the stat fields are all that is compared. */
  bytes?: Buffer;
}

/** Why a file was left as it was, in words that follow "not written: " (fsErrorReason gives its message, as of any error without a code). */
export class FileNotReplaced extends Error {
  override name = 'FileNotReplaced';
}

/** Reads a regular file without following a symbolic link or waiting on a FIFO; `withBytes` false: its stat fields only. */
export async function readSnapshot(path: string, withBytes = true): Promise<FileSnapshot> {
  let handle: FileHandle;
  try {
    handle = await open(fsPath(path), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (isFsError(error, 'ELOOP')) throw new FileNotReplaced('it is a symbolic link');
    throw error;
  }
  try {
    const stats = await handle.stat({ bigint: true });
    if (!stats.isFile()) throw new FileNotReplaced('it is not a regular file');
    return withBytes ? { stats, bytes: await handle.readFile() } : { stats };
  } finally {
    await handle.close();
  }
}

/**
 * Replaces the file at `path` (whose last component is not followed if it is a link) with
 * `content`. `original` is the file as read: it must still be exactly that just before the rename,
 * and its owner, group and mode carry over; undefined means a new file, and none may appear meanwhile.
 */
export async function replaceFile(path: string, content: Uint8Array, original: FileSnapshot | undefined): Promise<void> {
  if (original) {
    const refusal = (await writePermissionProblem(path, original.stats)) ?? ownerProblem(original.stats);
    if (refusal) throw new FileNotReplaced(refusal);
  }
  const temporary = join(dirname(path), `.${basename(path)}.ringlint-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    // Private until it takes the original's owner and mode: the content may be another user's.
    const handle = await open(fsPath(temporary), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, original ? 0o600 : 0o666);
    try {
      await handle.writeFile(content);
      if (original) await takeOwnerAndMode(handle, original.stats);
    } finally {
      await handle.close();
    }
    await expectUnchanged(path, original);
    await rename(fsPath(temporary), fsPath(path));
  } catch (error) {
    await rm(fsPath(temporary), { force: true });
    throw error;
  }
}

/**
 * Removes from `directory` the temporary files of runs that died before renaming them (killed, or
 * the machine went down): names as `replaceFile` makes them whose process is gone. Those of live
 * processes, this one included, are theirs; anything else is left whatever its name.
 */
export async function removeDeadRunTemporaries(directory: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return; // nothing to clean where nothing can be listed; writing there will say why
  }
  for (const name of names) {
    const pid = TEMPORARY_NAME.exec(name)?.[1];
    if (pid === undefined || processExists(Number(pid))) continue;
    const path = join(directory, name);
    try {
      if ((await lstat(path)).isFile()) await unlink(path);
    } catch {
      // Gone meanwhile, or not this user's to remove: left as it is.
    }
  }
}

const TEMPORARY_NAME = /^\..+\.ringlint-(\d+)-[0-9a-f]{8}\.tmp$/s;

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isFsError(error, 'ESRCH'); // EPERM: another user's live process
  }
}

/** Root may write anything, so a file no one may write (mode 0444) is taken as meant to stay as it is. */
async function writePermissionProblem(path: string, stats: BigIntStats): Promise<string | undefined> {
  const mode = Number(stats.mode) & 0o7777;
  if ((mode & 0o222) === 0) return `the file is read-only (mode ${mode.toString(8).padStart(4, '0')})`;
  if (process.geteuid?.() === 0) return undefined;
  try {
    await access(fsPath(path), constants.W_OK);
    return undefined;
  } catch (error) {
    return `this user may not write the file: ${fsErrorReason(error)}`;
  }
}

/** Only root can give a file to another user, or to a group it is not in. */
function ownerProblem(stats: BigIntStats): string | undefined {
  const uid = Number(stats.uid);
  const gid = Number(stats.gid);
  if (process.geteuid?.() === 0) return undefined;
  const groups = [process.getegid?.(), ...(process.getgroups?.() ?? [])];
  if (uid === process.geteuid?.() && groups.includes(gid)) return undefined;
  return `it belongs to uid ${uid}, gid ${gid}, and this user cannot give the rewritten file that owner`;
}

async function takeOwnerAndMode(handle: FileHandle, stats: BigIntStats): Promise<void> {
  try {
    // Owner first: chown clears the set-user-ID and set-group-ID bits, which chmod then restores.
    await handle.chown(Number(stats.uid), Number(stats.gid));
    await handle.chmod(Number(stats.mode) & 0o7777);
  } catch (error) {
    throw new FileNotReplaced(`cannot give the rewritten file the same owner and mode: ${fsErrorReason(error)}`);
  }
}

/** The last look before the rename: same file, same stat fields (ctime moves on any write), same bytes. */
async function expectUnchanged(path: string, original: FileSnapshot | undefined): Promise<void> {
  if (!original) {
    try {
      await lstat(fsPath(path));
    } catch (error) {
      if (isFsError(error, 'ENOENT')) return;
      throw error;
    }
    throw new FileNotReplaced('a file of that name appeared while it was being written');
  }
  let now: FileSnapshot;
  try {
    now = await readSnapshot(path, original.bytes !== undefined);
  } catch (error) {
    if (error instanceof FileNotReplaced || isFsError(error, 'ENOENT')) throw new FileNotReplaced(CHANGED_WHILE_WRITING);
    throw error;
  }
  const [was, is] = [original.stats, now.stats];
  const sameStats =
    was.dev === is.dev && was.ino === is.ino && was.size === is.size && was.mtimeNs === is.mtimeNs && was.ctimeNs === is.ctimeNs;
  if (!sameStats || (original.bytes !== undefined && !original.bytes.equals(now.bytes ?? Buffer.alloc(0)))) {
    throw new FileNotReplaced(CHANGED_WHILE_WRITING);
  }
}

const CHANGED_WHILE_WRITING = 'the file changed while its new content was being written';
