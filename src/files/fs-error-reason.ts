const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'symlink loop',
  ENOENT: 'no such file or directory',
  ENXIO: 'not a regular file (no such device or address)',
  EISDIR: 'is a directory',
  EIO: 'I/O error',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EFBIG: 'file too large',
};

/** A short human reason for a failed file-system call, keeping the errno code for searchability. */
export function fsErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined) return `${REASONS[code] ?? 'cannot access'} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

export function isFsError(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}
