/**
 * The prefilter on ripgrep. Many targets: ripgrep walks the root directories itself (its walk is
 * faster than passing tens of thousands of paths) and only the targets are kept; few targets:
 * exact file lists in batches, one process per core.
 */
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { sep } from 'node:path';
import { holdsEscapedBytes } from '../files/path-bytes.js';
import { definitionPattern, type PrefilterQuery, type PrefilterTarget } from './byte-prefilter.js';

/** Stay well under the kernel's argument-size limit. */
const BATCH_BYTES = 512 * 1024;

let available: boolean | undefined;

export function ripgrepAvailable(): boolean {
  if (process.env.RINGLINT_PREFILTER === 'workers') return false;
  available ??= spawnSync('rg', ['--version'], { stdio: 'ignore' }).status === 0;
  return available;
}

/** Beyond this many targets, searching whole root directories is cheaper than listing files. */
const WALK_ROOTS_ABOVE = 2000;

export async function searchWithRipgrep(
  targets: readonly PrefilterTarget[],
  query: PrefilterQuery,
  roots: readonly string[],
): Promise<Set<string>> {
  const selected = new Set<string>();
  // A name that is not UTF-8 can be neither passed to ripgrep nor read back from it: the scan reads it.
  const unnamable = targets.filter((target) => holdsEscapedBytes(target.path) || holdsEscapedBytes(target.realPath));
  unnamable.forEach((target) => selected.add(target.path));
  if (unnamable.length > 0) targets = targets.filter((target) => !unnamable.includes(target));
  const byRealPath = new Map(targets.map((target) => [target.realPath, target.path]));
  const walkable = targets.filter((target) => WALKED_KINDS.test(target.realPath) && roots.some((root) => isBelow(target.realPath, root)));
  let listed = targets;
  if (walkable.length > WALK_ROOTS_ABOVE) {
    // Everything of the scanned kinds is searched, ignored or not, then narrowed to the targets.
    // Two processes on two cores: the query, and NUL bytes (binary files, which the scan reports).
    const walk = ['--glob', '!.git', '--glob', '!node_modules', '--glob', `*.{${WALKED_EXTENSIONS.join(',')}}`];
    const found = await Promise.all([
      runRipgrep([...queryArguments(query, false), ...walk, '--', ...roots], '/'),
      runRipgrep([...binaryArguments(), ...walk, '--', ...roots], '/'),
    ]);
    for (const path of found.flat()) {
      const target = byRealPath.get(path);
      if (target !== undefined) selected.add(target);
    }
    const covered = new Set(walkable.map((target) => target.path));
    listed = targets.filter((target) => !covered.has(target.path));
  }
  for (const path of await searchListed(listed.map((target) => target.path), [...queryArguments(query, true), '--'])) selected.add(path);
  return selected;
}

/** The kinds a directory walk selects (other files come in through quoted includes and are listed). */
const WALKED_EXTENSIONS = ['c', 'h', 'md', 'markdown', 'rst'];
const WALKED_KINDS = new RegExp(`\\.(${WALKED_EXTENSIONS.join('|')})$`);

function isBelow(path: string, directory: string): boolean {
  return path.startsWith(directory.endsWith(sep) ? directory : directory + sep);
}

function queryArguments(query: PrefilterQuery, withBinaries: boolean): string[] {
  const patterns = query.needles.map(escapeRegex);
  if (query.definitions.length > 0) patterns.push(definitionPattern(query.definitions));
  patterns.push(...(query.patterns ?? []));
  const args = ['--no-config', '--files-with-matches', '--no-ignore', '--hidden'];
  // --text and a NUL pattern also select binary files, so that the scan reports them.
  if (withBinaries) args.push('--text', '-e', NUL_BYTE);
  for (const pattern of patterns) args.push('-e', pattern);
  return args;
}

function binaryArguments(): string[] {
  return ['--no-config', '--files-with-matches', '--no-ignore', '--hidden', '--text', '-e', NUL_BYTE];
}

const NUL_BYTE = '(?-u:\\x00)';

async function searchListed(paths: readonly string[], args: readonly string[]): Promise<Set<string>> {
  const batches = inBatches(paths);
  const selected = new Set<string>();
  let next = 0;
  const runBatches = async (): Promise<void> => {
    for (let index = next++; index < batches.length; index = next++) {
      for (const path of await runRipgrep([...args, ...batches[index]!], process.cwd())) selected.add(path);
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), batches.length) }, runBatches));
  return selected;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function inBatches(paths: readonly string[]): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const path of paths) {
    if (size + path.length > BATCH_BYTES && current.length > 0) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(path);
    size += path.length + 1;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Matching paths, plus every path ripgrep could not read (the scan reports why). */
function runRipgrep(args: string[], cwd: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('rg', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      // 0: matches, 1: none, 2: some file could not be searched (listed on stderr).
      if (code !== 0 && code !== 1 && code !== 2) {
        reject(new Error(`ripgrep exited with ${code}: ${Buffer.concat(err).toString().trim()}`));
        return;
      }
      const matched = Buffer.concat(out).toString('utf8').split('\n').filter(Boolean);
      const unreadable = Buffer.concat(err)
        .toString('utf8')
        .split('\n')
        .map((line) => /^(?:rg: )?(.+?): [^:]*\(os error \d+\)$/.exec(line)?.[1])
        .filter((path): path is string => path !== undefined);
      resolve([...matched, ...unreadable]);
    });
  });
}
