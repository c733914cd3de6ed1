/**
 * Files larger than this are searched but not parsed, unless `maxFileSize` says otherwise. A module
 * of its own: the early walk (cli/early-walk.ts) needs it before the scan stack has loaded.
 */
export const DEFAULT_MAX_FILE_SIZE = 8 * 1024 * 1024;
