/**
 * ringscan's walk stands in for Node's: on a tree with every kind of entry the discovery must give
 * the same files in the same order (those the search flagged listed, the others on demand), the
 * same errors and the same directories either way; and its byte search must flag exactly what the
 * scan needs to read.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/files/discover.js';
import { pathFromBytes } from '../../src/files/path-bytes.js';
import { vocabularyArguments } from '../../src/native/ringscan.js';
import { makeTempDir, REPO_ROOT, removeTempDir, writeTree } from '../cli/cli-harness.js';
import { git } from '../review/git-harness.js';

const BINARY = join(REPO_ROOT, 'dist', 'native', 'ringscan');
const MAX_FILE_SIZE = 4096;
/** Built by `npm run build` wherever a C compiler is; CI has one, so there it must run. */
const BUILT = existsSync(BINARY) || process.env.CI !== undefined;

/** The directories ringscan stamped: its "D mtime ctime ino path" records. */
function stampedDirectories(stamps: Buffer[]): string[] {
  return pathFromBytes(Buffer.concat(stamps)).split('\0').filter((record) => record.startsWith('D\t')).map((record) => record.split('\t').slice(4).join('\t'));
}

describe('the native walk', { timeout: 30_000 }, () => {
  let dir: string;
  let tree: string;

  beforeAll(async () => {
    dir = await makeTempDir();
    tree = join(dir, 'tree');
    await writeTree(tree, {
      'ring.c': 'int f(struct tpacket2_hdr *h) { return h->tp_status; }\n',
      'sctp.c': 'int g(struct sctp_status *s) { return DP_TP_STATUS_DONE; }\n',
      'block.h': '#define READY(b) ((b)->hdr.bh1.block_status & 1)\n',
      'constant.md': '```c\nif (s == TP_STATUS_KERNEL) return;\n```\n',
      'binary.c': 'int x;\0\0\0',
      'includes.c': '#include "ring.inc"\n#include "ring.h"\n#include "sub/x.c"\n',
      'only-headers.c': '#include "a.h"\n#include <stdio.h>\n',
      'big.c': `${'/* padding */\n'.repeat(1000)}int v = TP_STATUS_USER;\n`,
      'big-unrelated.c': '/* padding */\n'.repeat(1000),
      'Upper.H': 'int upper;\n',
      'ü/naïve.rst': 'tp_status\n',
      'tab\tname.c': 'int t;\n',
      'web/app.ts': 'export const x = 1;\n',
      'web/types.d.ts': 'export declare const y: number;\n',
      'notes.txt': 'tp_status\n',
      '.git/hooks/pre.c': 'int hook;\n',
      'node_modules/dep/index.c': 'int dep;\n',
      'sub/x.c': 'int x2;\n',
      'sub/deeper/z.c': 'int z;\n',
    });
    symlinkSync(join(tree, 'sub'), join(tree, 'linked-sub'));
    symlinkSync(join(tree, 'ring.c'), join(tree, 'alias.c'));
    symlinkSync(tree, join(tree, 'sub', 'loop'));
    symlinkSync(dir, join(tree, 'outside'));
    symlinkSync(join(tree, 'missing.c'), join(tree, 'dangling.c'));
    execFileSync('mkfifo', [join(tree, 'pipe.c')]);
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it.runIf(BUILT)('discovers what Node\'s walk discovers, in the same order', async () => {
    const byNode = await discoverFiles(['tree'], dir, { noIgnore: true });
    const natively = await discoverFiles(['tree'], dir, { noIgnore: true, ringscan: { binary: BINARY, maxFileSize: MAX_FILE_SIZE } });
    expect(byNode.searchedNatively.size).toBe(0);
    const listed = new Set(natively.files.map((file) => file.realPath));
    expect(natively.files).toEqual(byNode.files.filter((file) => listed.has(file.realPath)));
    expect(await natively.native.unlistedFiles((realPath) => listed.has(realPath))).toEqual(byNode.files.filter((file) => !listed.has(file.realPath)));
    expect(natively.files.length + natively.native.unlistedCount).toBe(byNode.files.length);
    expect(natively.errors).toEqual(byNode.errors);
    expect([...natively.directories, ...stampedDirectories(await natively.native.stamps())].sort()).toEqual([...byNode.directories].sort());
    expect((await natively.native.unlistedFiles(() => false)).map((file) => file.displayPath)).toContain('tree/tab\tname.c');
    expect(natively.errors.map((error) => error.message)).toEqual([
      'not a regular file (FIFO), skipped',
      'symlink loop (points to an enclosing directory), not followed',
    ]);
  });

  it.runIf(BUILT)('counts each file once when a root holds one walked before', async () => {
    const roots = ['tree/sub', 'tree'];
    const byNode = await discoverFiles(roots, dir, { noIgnore: true });
    const natively = await discoverFiles(roots, dir, { noIgnore: true, ringscan: { binary: BINARY, maxFileSize: MAX_FILE_SIZE } });
    const listed = new Set(natively.files.map((file) => file.realPath));
    const all = [...natively.files, ...(await natively.native.unlistedFiles((realPath) => listed.has(realPath)))];
    expect(all.map((file) => file.realPath).sort()).toEqual(byNode.files.map((file) => file.realPath).sort());
    expect(natively.files.length + natively.native.unlistedCount).toBe(byNode.files.length);
    expect(natively.errors).toEqual(byNode.errors);
  });

  it.runIf(BUILT)('reads and searches the files Node\'s walk chose where ignore files apply', async () => {
    const repo = join(dir, 'repo');
    await writeTree(repo, {
      '.gitignore': 'ignored.c\nbuild/\n',
      'ring.c': 'int f(struct tpacket2_hdr *h) { return h->tp_status != TP_STATUS_KERNEL; }\n',
      'plain.c': 'int plain;\n',
      'ignored.c': 'int g(struct tpacket2_hdr *h) { return h->tp_status == 0; }\n',
      'build/gen.c': 'int gen(struct tpacket2_hdr *h) { return h->tp_status; }\n',
    });
    git(repo, 'init', '-q');
    const byNode = await discoverFiles(['repo'], dir, {});
    const natively = await discoverFiles(['repo'], dir, { ringscan: { binary: BINARY, maxFileSize: MAX_FILE_SIZE } });
    expect(natively.files).toEqual(byNode.files);
    expect(natively.files.map((file) => file.displayPath)).toEqual(['repo/plain.c', 'repo/ring.c']);
    expect([...natively.searchedNatively.values()].map((file) => [file.path.slice(repo.length + 1), file.flags])).toEqual([['ring.c', 1]]);
    // Searched, nothing found: the scan neither reads it nor searches it again.
    natively.native.release();
    expect(natively.native.covers(join(repo, 'plain.c'), false)).toBe(true);
    expect(natively.native.covers(join(repo, 'ignored.c'), false)).toBe(false);
    expect(natively.native.unlistedCount).toBe(0);
  });

  it.runIf(BUILT)('writes its stamps after the count only when asked, and ends at the end of its input without them', () => {
    const walk = (input: string): { stdout: string; stamps: string; status: number | null } => {
      const path = join(dir, `stamps-${input.length}`);
      const descriptor = openSync(path, 'w');
      try {
        const run = spawnSync(BINARY, [...vocabularyArguments(), 'walk', String(MAX_FILE_SIZE), tree], { input, stdio: ['pipe', 'pipe', 'pipe', descriptor], encoding: 'utf8' });
        return { stdout: run.stdout, stamps: readFileSync(path, 'latin1'), status: run.status }; // latin1: one character a byte
      } finally {
        closeSync(descriptor);
      }
    };
    const asked = walk('S');
    const unasked = walk('');
    expect([asked.status, unasked.status]).toEqual([0, 0]);
    expect(unasked.stdout).toMatch(/N\t\d+\0$/);
    expect(asked.stdout.split('\0').sort()).toEqual(unasked.stdout.split('\0').sort());
    expect(unasked.stamps).toBe('');
    // Asked, it writes its stamps (each starts with its kind), then the paths of the files stamped.
    const stampBytes = asked.stamps.indexOf('\0/') + 1;
    const stamps = asked.stamps.slice(0, stampBytes);
    expect(stamps.split('\0').slice(0, -1).filter((record) => !/^[FD]\t/.test(record))).toEqual([]);
    const number = expect.stringMatching(/^\d+$/);
    expect(stamps.split('\0')[0]?.split('\t')).toEqual(['D', number, number, number, tree]); // the root's own record first (mtime, ctime, inode)
    expect(stamps).toContain(`\t${join(tree, 'sub', 'deeper', 'z.c')}\0`);
    const files = stamps.split('\0').filter((record) => record.startsWith('F\t')).map((record) => record.split('\t').slice(6).join('\t'));
    expect(asked.stamps.slice(stampBytes).split('\0').slice(0, -1)).toEqual(files);
  });

  it.runIf(BUILT)('lets a walk whose stamps nobody asked for end, and refuses them after that', async () => {
    const natively = await discoverFiles(['tree'], dir, { noIgnore: true, ringscan: { binary: BINARY, maxFileSize: MAX_FILE_SIZE } });
    natively.native.release();
    await expect(natively.native.stamps()).rejects.toThrow(/after the walk was released/);
  });

  it.runIf(BUILT)('reports a failure to write the stamps when they are asked for, after a walk that succeeded', async () => {
    const full = join(dir, 'ringscan-disk-full');
    writeFileSync(full, `#!/bin/sh\nexec '${BINARY}' "$@" 3>/dev/full\n`);
    chmodSync(full, 0o755);
    const natively = await discoverFiles(['tree'], dir, { noIgnore: true, ringscan: { binary: full, maxFileSize: MAX_FILE_SIZE } });
    expect(natively.searchedNatively.size).toBeGreaterThan(0); // the walk itself succeeded
    await expect(natively.native.stamps()).rejects.toThrow(/^ringscan walk failed \(exit 2\): ringscan: write stamps: No space left on device$/);
  });

  it.runIf(BUILT)('leaves no stamps file behind, whether ringscan succeeds or fails', async () => {
    const scratch = join(dir, 'tmp');
    mkdirSync(scratch);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = scratch;
    const ignoreWarning = (): void => undefined;
    process.on('warning', ignoreWarning);
    try {
      const natively = await discoverFiles(['tree'], dir, { noIgnore: true, ringscan: { binary: BINARY, maxFileSize: MAX_FILE_SIZE } });
      // The stamps were read back: every file walked is there, listed or not.
      expect((await natively.native.unlistedFiles(() => false)).map((file) => file.displayPath)).toContain('tree/sub/deeper/z.c');
      await discoverFiles(['tree'], dir, { noIgnore: true, ringscan: { binary: '/bin/false', maxFileSize: MAX_FILE_SIZE } });
      expect(readdirSync(scratch)).toEqual([]);
    } finally {
      process.off('warning', ignoreWarning);
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it('falls back to Node\'s walk, with a warning, when ringscan fails', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const byNode = await discoverFiles(['tree'], dir, { noIgnore: true });
      const fallback = await discoverFiles(['tree'], dir, { noIgnore: true, ringscan: { binary: '/bin/false', maxFileSize: MAX_FILE_SIZE } });
      await new Promise((resolve) => setImmediate(resolve));
      expect(fallback.files).toEqual(byNode.files);
      expect(fallback.searchedNatively.size).toBe(0);
      expect(warnings).toEqual([expect.stringMatching(/^ringscan walk failed \(exit 1\).*; walking .*tree without it$/)]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it.runIf(BUILT)('flags the files the scan must read, and only those', async () => {
    const natively = await discoverFiles(['tree'], dir, { noIgnore: true, ringscan: { binary: BINARY, maxFileSize: MAX_FILE_SIZE } });
    const relativePath = (path: string): string => path.slice(tree.length + 1);
    const flags = Object.fromEntries([...natively.searchedNatively.values()].map((file) => [relativePath(file.path), file.flags]));
    const unlisted = (await natively.native.unlistedFiles((realPath) => natively.searchedNatively.has(realPath))).map((file) => relativePath(file.realPath));
    const expected: Record<string, number> = {
      'ring.c': 1, // tp_status
      'sctp.c': 0, // sctp_status, DP_TP_STATUS_: not the start of a word
      'block.h': 16, // block_status: a tree must tell whether it is the ring's
      'constant.md': 1,
      'binary.c': 2,
      'includes.c': 4, // ring.inc is not a kind the walk takes; ring.h and sub/x.c are
      'only-headers.c': 0,
      'big.c': 1, // above the size limit: searched in chunks, for the status word
      'big-unrelated.c': 0,
      'Upper.H': 0,
      'ü/naïve.rst': 1,
      'tab\tname.c': 0,
      'web/app.ts': 0, // stamped, not read
      'sub/x.c': 0,
      'sub/deeper/z.c': 0,
    };
    // Listed: what the search flagged, and TypeScript/JavaScript files; the others only stamped and counted.
    const listed = Object.entries(expected).filter(([path, flag]) => flag !== 0 || path.endsWith('.ts'));
    expect(flags).toEqual(Object.fromEntries(listed));
    expect(unlisted.sort()).toEqual(Object.keys(expected).filter((path) => !(path in flags)).sort());
  });

  // A file that grows while it is read (a log being written, a procfs or FUSE file that never ends)
  // held the walk and its buffer without bound. A procfs file bind-mounted into the tree stands in
  // for one, deterministically: fstat gives 0 bytes, reading gives what the kernel makes up (here a
  // process's environment, holding the status word). Only the bytes fstat gave are searched, as
  // the stamp records them and as Node's readFile reads a file of known size.
  it.runIf(BUILT && process.getuid?.() === 0)('searches no more of a file than the size fstat gave', async () => {
    const grown = join(dir, 'grown');
    await writeTree(grown, { 'x.c': '', 'y.c': 'int y; /* tp_status */\n' });
    const script = [
      'env RINGLINT_TEST=tp_status sleep 30 & holder=$!',
      `mount --bind /proc/$holder/environ '${join(grown, 'x.c')}' || exit 9`,
      `echo | '${BINARY}' ${vocabularyArguments().map((argument) => `'${argument}'`).join(' ')} walk ${MAX_FILE_SIZE} '${grown}' 3>/dev/null; status=$?`,
      'kill $holder; exit $status',
    ].join('\n');
    const run = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(0);
    expect(run.stdout.split('\0').filter(Boolean)).toEqual([`F\tc\t23\t1\t${join(grown, 'y.c')}`, 'N\t2']);
  });
});
