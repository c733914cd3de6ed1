/**
 * ringscan's byte search is compiled where it runs (-march=native), so one machine builds only one
 * of its vector paths. Here every path this machine can run is built and must report exactly what
 * the bytewise reference (RINGSCAN_SCALAR) reports: the same records, flags included, on the
 * repository's fixtures and tests, on Debian's libpcap when it has been fetched, and on files built
 * to put each needle, a NUL byte and a quoted include at every offset of a 32-byte vector, and
 * across the chunks of a file too large to be read whole.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { arch } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vocabularyArguments } from '../../src/native/ringscan.js';
import { makeTempDir, REPO_ROOT, removeTempDir } from '../cli/cli-harness.js';

const SOURCE = join(REPO_ROOT, 'src', 'native', 'ringscan.c');
const LIBPCAP = join(REPO_ROOT, '.cache', 'corpus', 'libpcap-1.10.3');
/** Small enough that the boundary files' largest one is searched in chunks. */
const MAX_FILE_SIZE = 4096;

const cpuFlags = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
const x86 = arch() === 'x64';

/** The vector paths of `candidates`, each with what selects it and whether this machine runs it. */
const VARIANTS = [
  { name: 'AVX2, 32 bytes at once', flags: ['-march=x86-64', '-mavx2'], runs: x86 && /\bavx2\b/.test(cpuFlags) },
  { name: 'SSE2, two 16-byte halves', flags: ['-march=x86-64'], runs: x86 },
  { name: 'plain vector extensions (as on a target without SSE2 or NEON)', flags: ['-march=x86-64', '-mno-sse2'], runs: x86 },
  { name: 'the native build', flags: ['-march=native'], runs: true },
];

/** Files that put each candidate at every offset of a vector, and one needle across a chunk boundary. */
function boundaryTree(root: string): void {
  const needles = ['tp_status', 'TP_STATUS_USER', 'block_status', '#include "ring.inc"', '\0', 'xtp_status', 'p_st'];
  needles.forEach((needle, index) => {
    for (let offset = 0; offset < 70; offset++) {
      const dir = join(root, `n${index}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `at${offset}.c`), `${' '.repeat(offset)}${needle}${offset % 3 === 0 ? '' : ' b'.repeat(offset % 40)}`);
    }
  });
  // Above MAX_FILE_SIZE: searched in 1 MiB chunks, the needle straddling the first boundary.
  writeFileSync(join(root, 'large.c'), `${' '.repeat((1 << 20) - 4)}tp_status${' '.repeat(100)}`);
  writeFileSync(join(root, 'large-plain.c'), ' '.repeat((1 << 20) + 100));
}

describe('ringscan built with each vector path', { timeout: 120_000 }, () => {
  let dir: string;
  let trees: string[];
  let reference: string;

  function build(name: string, flags: string[]): string {
    const binary = join(dir, name.replace(/\W+/g, '-'));
    execFileSync('cc', ['-O2', '-std=gnu11', '-pthread', '-Wall', '-Wextra', '-Werror', ...flags, '-o', binary, SOURCE]);
    return binary;
  }

  /** What the walk reports, in a stable order (records come as they are found). */
  function walk(binary: string): string[] {
    const stamps = openSync('/dev/null', 'w'); // not asked for: written nowhere
    const run = spawnSync(binary, [...vocabularyArguments(), 'walk', String(MAX_FILE_SIZE), ...trees], { input: '', stdio: ['pipe', 'pipe', 'pipe', stamps], maxBuffer: 1 << 28 });
    closeSync(stamps);
    expect(run.status, run.stderr?.toString()).toBe(0);
    return run.stdout.toString('latin1').split('\0').sort();
  }

  beforeAll(async () => {
    dir = await makeTempDir();
    boundaryTree(join(dir, 'boundaries'));
    trees = [join(REPO_ROOT, 'fixtures'), join(REPO_ROOT, 'test'), join(dir, 'boundaries'), ...(existsSync(LIBPCAP) ? [LIBPCAP] : [])];
    reference = build('scalar', ['-DRINGSCAN_SCALAR']);
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('has a reference that flags what it must', () => {
    const records = walk(reference);
    expect(records).toContain(`F\tc\t${6 + 9}\t1\t${join(dir, 'boundaries', 'n0', 'at6.c')}`); // 6 spaces, then tp_status
    expect(records.filter((record) => record.endsWith('/large.c'))).toEqual([`F\tc\t${(1 << 20) + 105}\t1\t${join(dir, 'boundaries', 'large.c')}`]);
    expect(records.some((record) => record.endsWith('/large-plain.c'))).toBe(false);
  });

  it.each(VARIANTS.filter((variant) => variant.runs))('reports what the bytewise search reports: $name', ({ name, flags }) => {
    expect(walk(build(name, flags))).toEqual(walk(reference));
  });
});
