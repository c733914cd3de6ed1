/**
 * The few read-only git plumbing commands review needs, run without a shell. None of them
 * reads the working tree, so no repository-configured filter, textconv, fsmonitor or diff driver
 * ever runs: the working tree is compared with base blobs by ringlint itself.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';

export class GitError extends Error {
  override name = 'GitError';
}

const MAX_OUTPUT = 512 * 1024 * 1024;

/** Settings that keep git from running anything configured in the repository, even by accident. */
const SAFE_CONFIG = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '--no-pager'];
const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' };
const GIT_MISSING = 'git is not installed (review needs git on PATH)';

const execGit = promisify(execFile);

/** What a git command prints on standard output. */
async function gitText(args: readonly string[], cwd: string): Promise<string> {
  try {
    return (await execGit('git', [...SAFE_CONFIG, ...args], { cwd, encoding: 'utf8', maxBuffer: MAX_OUTPUT, env: GIT_ENV, windowsHide: true })).stdout;
  } catch (error) {
    // Rejected with the exit's error and what the command printed (promisify's execFile).
    const { code, stderr, message } = error as NodeJS.ErrnoException & { stderr: string };
    throw new GitError(code === 'ENOENT' ? GIT_MISSING : stderr.trim().split('\n')[0] || message);
  }
}

/** The records of a `-z` listing: the space-separated fields before each one's tab, and the path after it. */
function listingRecords(listing: string): Array<{ fields: string[]; path: string }> {
  return listing.split('\0').flatMap((record) => {
    const tab = record.indexOf('\t');
    return tab === -1 ? [] : [{ fields: record.slice(0, tab).split(' '), path: record.slice(tab + 1) }];
  });
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

/** The commit HEAD names, or undefined before the first commit (an unborn branch). */
export async function headCommit(root: string): Promise<string | undefined> {
  return (await gitText(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], root).catch(() => undefined))?.trim();
}

/** Where the working tree's history meets `base` (git's `base...`); `base` itself when HEAD is unborn. */
export async function mergeBase(base: string, root: string): Promise<string> {
  if ((await headCommit(root)) === undefined) return base;
  try {
    return (await gitText(['merge-base', base, 'HEAD'], root)).trim();
  } catch {
    throw new GitError(`${base} and HEAD have no common history (with a shallow clone, fetch more history)`);
  }
}

/** The object name of every blob of a commit's tree by path (relative to the repository root, `/`-separated). */
export async function treeBlobs(commit: string, root: string): Promise<Map<string, string>> {
  const blobs = new Map<string, string>();
  for (const { fields: [, type, oid], path } of listingRecords(await gitText(['ls-tree', '-r', '-z', '--full-tree', commit], root))) {
    if (type === 'blob' && oid) blobs.set(path, oid);
  }
  return blobs;
}

/**
 * The object name git would give `content` as a blob, to skip unchanged files without reading base
 * blobs. Hashed as `sibling`, an object name of the same repository, is: 64 hex digits in a SHA-256
 * repository, 40 in a SHA-1 one.
 */
export function blobObjectName(content: Buffer, sibling: string): string {
  return createHash(sibling.length === 64 ? 'sha256' : 'sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** An entry of the index: what the next commit records at `path` (relative to the repository root). */
export interface IndexEntry {
  path: string;
  /** git's octal mode: 100644 or 100755 for files, 120000 for symbolic links, 160000 for submodules. */
  mode: string;
  oid: string;
}

/**
 * The index's entries. `ls-files --stage` reads the index file alone: no working-tree file is
 * looked at, so no filter or fsmonitor runs. An index with unresolved conflicts has no one staged
 * version of those paths, so it is refused, as `git commit` refuses it.
 */
export async function indexEntries(root: string): Promise<IndexEntry[]> {
  const entries: IndexEntry[] = [];
  const conflicted = new Set<string>();
  for (const { fields: [mode, oid, stage], path } of listingRecords(await gitText(['ls-files', '--stage', '-z', '--full-name'], root))) {
    if (stage !== '0') conflicted.add(path);
    else if (mode && oid) entries.push({ path, mode, oid });
  }
  if (conflicted.size > 0) {
    throw new GitError(`the index has unresolved conflicts (${[...conflicted].slice(0, 3).join(', ')}${conflicted.size > 3 ? ', …' : ''}): resolve them before reviewing what is staged`);
  }
  return entries;
}

/**
 * Reads blobs through one `git cat-file --batch` (no filters applied), handing each to `onBlob` in
 * the order asked, as it arrives: a whole tree's contents are never held at once.
 */
export function readBlobs(oids: readonly string[], root: string, onBlob: (oid: string, content: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...SAFE_CONFIG, 'cat-file', '--batch'], { cwd: root, env: GIT_ENV, windowsHide: true });
    // The output, `<oid> <type> <size>\n<content>\n` per object, is parsed as it comes. What is not
    // parsed yet is joined only when a header or a whole blob is there (a big blob comes in many chunks).
    let chunks: Buffer[] = [];
    let length = 0;
    let blob: { oid: string; size: number } | undefined;
    const joined = (): Buffer => (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length)); // one chunk: as it is
    const keep = (rest: Buffer): void => {
      chunks = rest.length > 0 ? [rest] : [];
      length = rest.length;
    };
    const parse = (chunk: Buffer): void => {
      chunks.push(chunk);
      length += chunk.length;
      for (;;) {
        if (!blob) {
          const buffered = joined();
          const newline = buffered.indexOf(0x0a);
          if (newline === -1) return keep(buffered);
          const header = buffered.subarray(0, newline).toString('utf8');
          keep(buffered.subarray(newline + 1));
          const [oid, type, size] = header.split(' ');
          if (type !== 'blob' || !oid || size === undefined) throw new GitError(`git cat-file: not a blob: ${header}`);
          blob = { oid, size: Number(size) };
        }
        if (length < blob.size + 1) return;
        const buffered = joined();
        const { oid, size } = blob;
        blob = undefined;
        keep(buffered.subarray(size + 1));
        onBlob(oid, buffered.subarray(0, size));
      }
    };
    let stderr = '';
    let failure: Error | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      if (failure) return;
      try {
        parse(chunk);
      } catch (error) {
        failure = error instanceof Error ? error : new GitError(String(error));
        child.kill();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new GitError(GIT_MISSING) : error));
    child.on('close', (code) => {
      if (failure) return reject(failure);
      if (code !== 0) return reject(new GitError(stderr.trim().split('\n')[0] || `git cat-file exited with ${code}`));
      if (blob || length > 0) return reject(new GitError('git cat-file --batch ended in the middle of a blob'));
      resolve();
    });
    child.stdin.on('error', () => undefined); // a git that exits early is reported by 'close'
    child.stdin.end(oids.map((oid) => `${oid}\n`).join(''));
  });
}
