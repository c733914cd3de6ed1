/** The prefilter on ripgrep: exact file lists in batches, one process per core. */
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { definitionPattern, type PrefilterQuery } from './byte-prefilter.js';

/** Stay well under the kernel's argument-size limit. */
const BATCH_BYTES = 512 * 1024;

let available: boolean | undefined;

export function ripgrepAvailable(): boolean {
  if (process.env.RINGLINT_PREFILTER === 'workers') return false;
  available ??= spawnSync('rg', ['--version'], { stdio: 'ignore' }).status === 0;
  return available;
}

export async function searchWithRipgrep(paths: readonly string[], query: PrefilterQuery, cwd: string): Promise<Set<string>> {
  const patterns = query.needles.map(escapeRegex);
  if (query.definitions.length > 0) patterns.push(definitionPattern(query.definitions));
  patterns.push(...(query.patterns ?? []));
  // A NUL byte marks a binary file: selected so that the scan reports it.
  patterns.push('(?-u:\\x00)');
  const args = ['--no-config', '--text', '--files-with-matches', '--no-ignore', '--hidden'];
  for (const pattern of patterns) args.push('-e', pattern);
  args.push('--');

  const batches = inBatches(paths);
  const selected = new Set<string>();
  let next = 0;
  const runBatches = async (): Promise<void> => {
    for (let index = next++; index < batches.length; index = next++) {
      for (const path of await runRipgrep([...args, ...batches[index]!], cwd)) selected.add(path);
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
