/**
 * Files larger than this are searched but not parsed, unless `maxFileSize` says otherwise. A module
 * of its own: run-scan.ts and fresh-scan.ts, which run-scan.ts loads on a cache miss, both read it.
 */
export const DEFAULT_MAX_FILE_SIZE = 8 * 1024 * 1024;
