import { realpathSync } from 'node:fs';

/** The path's real path, or null when it does not resolve (gone, a dangling link, no permission). */
export function realPathOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}
