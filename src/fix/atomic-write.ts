import { randomBytes } from 'node:crypto';
import { chmod, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces a file's content so that readers see the old or the new file, never half of one: a
 * temporary file in the same directory (same file system, so rename is atomic) takes the original's
 * permission bits, then replaces it.
 */
export async function writeFileAtomically(path: string, content: string): Promise<void> {
  const { mode } = await stat(path);
  const temporary = join(dirname(path), `.${basename(path)}.ringlint-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, content, { flag: 'wx', mode: mode & 0o7777 });
    await chmod(temporary, mode & 0o7777); // the umask may have cut bits off at creation
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
