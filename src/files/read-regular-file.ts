import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { fsErrorReason, isFsError } from './fs-error-reason.js';
import { fsPath } from './path-bytes.js';

/** A file that is there but is not one to read: not a regular file, or larger than allowed. */
export class NotReadable extends Error {
  constructor(
    readonly path: string,
    readonly reason: 'not a regular file' | 'too large',
  ) {
    super(`${path}: ${reason}`);
  }
}

/**
 * Reads a file from a place someone else can write to (a consumer, another user): never through a
 * symbolic link (O_NOFOLLOW), never waiting on a FIFO or device (O_NONBLOCK), only if what was
 * opened is a regular file (fstat after open: the check and the read are of the same file), and at
 * most `maxBytes`. Throws NotReadable, or the open's own error (ELOOP for a link, ENOENT…).
 * `followLinks`: for files a link may rightly name (git follows one at .git/info/exclude), whose
 * target is read under the same conditions.
 */
export function readRegularFileSync(path: string, maxBytes: number, { followLinks = false } = {}): Buffer {
  const fd = openSync(fsPath(path), constants.O_RDONLY | constants.O_NONBLOCK | (followLinks ? 0 : constants.O_NOFOLLOW));
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new NotReadable(path, 'not a regular file');
    if (stats.size > maxBytes) throw new NotReadable(path, 'too large');
    // Read to the end, not to the size fstat saw: the file may grow meanwhile, but not past maxBytes.
    const chunks: Buffer[] = [];
    let length = 0;
    for (let chunk = Buffer.allocUnsafe(Math.min(stats.size, maxBytes) + 1); ; chunk = Buffer.allocUnsafe(64 * 1024)) {
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      length += read;
      if (length > maxBytes) throw new NotReadable(path, 'too large');
    }
    return Buffer.concat(chunks, length);
  } finally {
    closeSync(fd);
  }
}

/** Why `readRegularFileSync` failed, in words for a message that names the file itself. */
export function readFailureReason(error: unknown): string {
  if (error instanceof NotReadable) return error.reason === 'too large' ? 'too large to be what it should be' : error.reason;
  return isFsError(error, 'ELOOP') ? 'a symbolic link, not followed' : fsErrorReason(error);
}
