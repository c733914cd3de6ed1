// The search of {out} for poison frames (native-check/output-scan.c), run directly: {out} is the
// consumer's, so the scanner must count exactly, read data only, never follow or wait, and stop
// within its budget.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './check-harness.js';

const scanner = path.join(repoRoot, 'native-check/build/ringlint-output-scan');
const MARKER = Buffer.from('RINGLINT-POISON!', 'latin1');
const CHUNK = 1 << 20;

interface Scan {
  poisonFrames: number;
  filesScanned: number;
  bytesScanned: number;
  skipped: number;
  truncated: boolean;
}

function scan(dir: string, maxBytes = 1024 ** 3, maxMs = 10_000): Scan {
  return JSON.parse(execFileSync(scanner, [dir, String(maxBytes), String(maxMs)], { encoding: 'utf8', timeout: 20_000 })) as Scan;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ringlint-output-scan-'));
  dirs.push(dir);
  return dir;
}

describe('ringlint-output-scan', () => {
  it('counts every marker once, in nested directories and across its read chunks', () => {
    const dir = freshDir();
    mkdirSync(path.join(dir, 'a/b'), { recursive: true });
    writeFileSync(path.join(dir, 'one'), Buffer.concat([Buffer.from('x'), MARKER, MARKER, Buffer.from('y')]));
    // A marker straddling the first 1 MiB chunk boundary, and one just after it.
    const straddling = Buffer.alloc(2 * CHUNK, 0x2e);
    MARKER.copy(straddling, CHUNK - 7);
    MARKER.copy(straddling, CHUNK + 40);
    writeFileSync(path.join(dir, 'a/b/two'), straddling);
    writeFileSync(path.join(dir, 'a/none'), 'RINGLINT-POISON (not quite)');
    expect(scan(dir)).toEqual({ poisonFrames: 4, filesScanned: 3, bytesScanned: 2 * CHUNK + 34 + 27, skipped: 0, truncated: false });
  });

  it('reads a sparse file through its data only (SEEK_DATA)', () => {
    const dir = freshDir();
    const fd = openSync(path.join(dir, 'sparse'), 'w');
    try {
      writeSync(fd, MARKER, 0, MARKER.length, 10 * 1024 ** 3);
    } finally {
      closeSync(fd);
    }
    const result = scan(dir);
    expect(result.poisonFrames).toBe(1);
    expect(result.filesScanned).toBe(1);
    // One file-system block around the marker, not 10 GiB of zeros.
    expect(result.bytesScanned).toBeLessThanOrEqual(64 * 1024);
    expect(result.truncated).toBe(false);
  });

  it('skips links, FIFOs and sockets without following or waiting on them', { timeout: 20_000 }, () => {
    const outside = freshDir();
    writeFileSync(path.join(outside, 'target'), MARKER);
    const dir = freshDir();
    symlinkSync(path.join(outside, 'target'), path.join(dir, 'link-to-file'));
    symlinkSync(outside, path.join(dir, 'link-to-dir'));
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    // A process that exits while listening leaves its socket file behind.
    execFileSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path.join(dir, 'socket'))}, () => process.exit(0))`]);
    expect(scan(dir)).toEqual({ poisonFrames: 0, filesScanned: 0, bytesScanned: 0, skipped: 4, truncated: false });
  });

  it('stops at its byte budget and says so', () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, 'big'), Buffer.alloc(3 * CHUNK, 0x2e));
    const result = scan(dir, CHUNK + 100);
    expect(result.truncated).toBe(true);
    expect(result.bytesScanned).toBe(CHUNK + 100);
  });

  it('stops at its time budget and says so', () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, 'file'), MARKER);
    expect(scan(dir, 1024 ** 3, 0)).toMatchObject({ truncated: true, bytesScanned: 0 });
  });

  it('finds nothing, without an error, in a directory that does not exist', () => {
    expect(scan(path.join(freshDir(), 'missing'))).toEqual({ poisonFrames: 0, filesScanned: 0, bytesScanned: 0, skipped: 0, truncated: false });
  });
});
