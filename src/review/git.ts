/**
 * The few read-only git plumbing commands review needs, run with execFile (no shell). None of them
 * reads the working tree, so no repository-configured filter, textconv, fsmonitor or diff driver
 * ever runs: the working tree is compared with base blobs by ringlint itself.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';

export class GitError extends Error {
  override name = 'GitError';
}

const MAX_OUTPUT = 512 * 1024 * 1024;

/** Settings that keep git from running anything configured in the repository, even by accident. */
const SAFE_CONFIG = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '--no-pager'];

function git(args: readonly string[], cwd: string, encoding: 'utf8' | 'buffer' = 'utf8'): Promise<string | Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...SAFE_CONFIG, ...args],
      {
        cwd,
        encoding,
        maxBuffer: MAX_OUTPUT,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return reject(new GitError('git is not installed (review needs git on PATH)'));
        const detail = String(stderr).trim().split('\n')[0] ?? '';
        reject(new GitError(detail || error.message));
      },
    );
  });
}

async function gitText(args: readonly string[], cwd: string): Promise<string> {
  return String(await git(args, cwd));
}

/** The top-level directory of the work tree around `cwd`. */
export async function repositoryRoot(cwd: string): Promise<string> {
  try {
    return (await gitText(['rev-parse', '--show-toplevel'], cwd)).trim();
  } catch (error) {
    if (error instanceof GitError && /not a git repository/i.test(error.message)) {
      throw new GitError(`not a git repository: ${cwd} (review compares the working tree with a git ref)`);
    }
    throw error;
  }
}

export async function resolveCommit(ref: string, root: string): Promise<string> {
  if (ref.startsWith('-')) throw new GitError(`invalid ref: ${ref}`);
  try {
    return (await gitText(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], root)).trim();
  } catch {
    throw new GitError(`unknown ref: ${ref} (fetch it first, e.g. \`git fetch origin ${ref}\`, or check out with fetch-depth: 0)`);
  }
}

/** Where the working tree's history meets `base` (git's `base...`); `base` itself when HEAD is unborn. */
export async function mergeBase(base: string, root: string): Promise<string> {
  try {
    await gitText(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], root);
  } catch {
    return base;
  }
  try {
    return (await gitText(['merge-base', base, 'HEAD'], root)).trim();
  } catch {
    throw new GitError(`${base} and HEAD have no common history (with a shallow clone, fetch more history)`);
  }
}

export interface TreeBlob {
  oid: string;
}

/** Every blob of a commit's tree by path (relative to the repository root, `/`-separated). */
export async function treeBlobs(commit: string, root: string): Promise<Map<string, TreeBlob>> {
  const listing = await gitText(['ls-tree', '-r', '-z', '--full-tree', commit], root);
  const blobs = new Map<string, TreeBlob>();
  for (const entry of listing.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab === -1) continue;
    const [, type, oid] = entry.slice(0, tab).split(' ');
    if (type === 'blob' && oid) blobs.set(entry.slice(tab + 1), { oid });
  }
  return blobs;
}

/** A blob's content as stored: `cat-file blob` applies no filters. */
export async function readBlob(oid: string, root: string): Promise<Buffer> {
  return (await git(['cat-file', 'blob', oid], root, 'buffer')) as Buffer;
}

/** The hash algorithm of the repository's object names. */
export async function objectFormat(root: string): Promise<'sha1' | 'sha256'> {
  try {
    return (await gitText(['rev-parse', '--show-object-format'], root)).trim() === 'sha256' ? 'sha256' : 'sha1';
  } catch {
    return 'sha1'; // git older than 2.25 only knows SHA-1
  }
}

/** The object name git would give `content` as a blob, to skip unchanged files without reading base blobs. */
export function blobObjectName(content: Buffer, format: 'sha1' | 'sha256'): string {
  return createHash(format).update(`blob ${content.length}\0`).update(content).digest('hex');
}
