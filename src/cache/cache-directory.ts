/**
 * Where the scan cache lives and how its files are read and written: read only if regular and
 * bounded (F24), written whole under a temporary name and renamed, so a reader never sees half a file.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readRegularFileSync } from '../files/read-regular-file.js';

/**
 * Far beyond any cache file (a kernel tree's stamps are 7 MB): the bound is for what is no cache
 * file, a link to /dev/zero aborted the scan after allocating 16 GB (F24).
 */
const MAX_CACHE_FILE_BYTES = 256 * 1024 * 1024;

export function defaultCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ringlint');
}

export function readCacheFile(file: string): Buffer {
  return readRegularFileSync(file, MAX_CACHE_FILE_BYTES);
}

export function writeCacheFile(file: string, content: string | Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}
