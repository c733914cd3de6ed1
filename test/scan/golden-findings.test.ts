/**
 * Findings recorded once and compared on every run: each fixture folder, Debian's libpcap and,
 * where the benchmark fetched it, Debian's Linux tree scanned as a user would (`--format json --no-cache`), and the C fixtures' `--fix-dry-run`
 * diff. A refactor of the analyzers must leave every rule, position, message and related place as
 * it was; a deliberate change re-records with `RINGLINT_RECORD_GOLDEN=1` and shows in the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../cli/cli-harness.js';

const GOLDEN = join(REPO_ROOT, 'test', 'scan', 'golden');
const RECORD = process.env.RINGLINT_RECORD_GOLDEN === '1';
const LIBPCAP = '.cache/corpus/libpcap-1.10.3';
const LINUX = '.cache/corpus/linux';

interface Scan {
  name: string;
  args: string[];
  /** Replaced by a placeholder in the output: a corpus's folder depends on where it was fetched. */
  root?: string;
  /** Skipped when absent (.ci/run and the benchmark fetch the corpora; this test only reads them). */
  needs?: string;
}

const SCANS: Scan[] = [
  { name: 'fixtures-c', args: ['scan', 'fixtures/c', '--format', 'json', '--no-cache'] },
  { name: 'fixtures-cpp', args: ['scan', 'fixtures/cpp', '--format', 'json', '--no-cache'] },
  { name: 'fixtures-docs', args: ['scan', 'fixtures/docs', '--format', 'json', '--no-cache'] },
  { name: 'fixtures-ts', args: ['scan', 'fixtures/ts', '--format', 'json', '--no-cache'] },
  { name: 'fixtures-consumers', args: ['scan', 'fixtures/consumers', '--format', 'json', '--no-cache'] },
  { name: 'libpcap', args: ['scan', LIBPCAP, '--format', 'json', '--no-cache'], root: LIBPCAP, needs: LIBPCAP },
  // --no-ignore: Debian's kernel tree ignores itself, as in `npm run bench`.
  { name: 'linux', args: ['scan', LINUX, '--no-ignore', '--format', 'json', '--no-cache'], root: LINUX, needs: LINUX },
  { name: 'fixtures-c-fix', args: ['scan', 'fixtures/c', '--fix-dry-run', '--no-cache', '--quiet'] },
  { name: 'fixtures-cpp-fix', args: ['scan', 'fixtures/cpp', '--fix-dry-run', '--no-cache', '--quiet'] },
];

/** What must not change: findings (rule, place, message, related places) and errors; a JSON report's timing and counts are left out. */
function normalised(scan: Scan, stdout: string): string {
  const text = scan.root ? stdout.split(scan.root).join('<root>') : stdout;
  if (!scan.args.includes('json')) return text;
  const { findings, errors } = JSON.parse(text) as { findings: unknown[]; errors: unknown[] };
  return `${JSON.stringify({ findings, errors }, null, 1)}\n`;
}

describe('golden findings', { timeout: 120_000 }, () => {
  const present = SCANS.filter((scan) => !scan.needs || existsSync(join(REPO_ROOT, scan.needs)));
  // Spawned together: each run is mostly start-up and waiting on its walk.
  const outputs = Promise.all(present.map((scan) => runCli(scan.args, { cwd: REPO_ROOT })));

  it.each(present.map((scan, index) => ({ ...scan, index })))('$name is as recorded', async (scan) => {
    const run = (await outputs)[scan.index]!; // one output per scan
    expect([0, 1], run.stderr).toContain(run.code);
    const actual = normalised(scan, run.stdout);
    const file = join(GOLDEN, `${scan.name}.${scan.args.includes('json') ? 'json' : 'diff'}`);
    if (RECORD) {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, actual);
    }
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });
});
