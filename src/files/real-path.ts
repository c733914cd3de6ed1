import { realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { fsPath, pathFromBytes } from './path-bytes.js';

/** The path's real path, or null when it does not resolve (gone, a dangling link, no permission). */
export function realPathOrNull(path: string): string | null {
  try {
    // The native call: the JavaScript realpathSync turns a Buffer path back into a string.
    return pathFromBytes(realpathSync.native(fsPath(path), { encoding: 'buffer' }));
  } catch {
    return null;
  }
}

/** The path's real path, its bytes kept (files/path-bytes.ts); rejects as realpath does. */
export async function realPathOf(path: string): Promise<string> {
  return pathFromBytes(await realpath(fsPath(path), { encoding: 'buffer' }));
}
