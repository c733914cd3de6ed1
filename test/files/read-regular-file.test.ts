// readRegularFileSync reads files others can write to: no links, no waiting, bounded.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NotReadable, readRegularFileSync } from '../../src/files/read-regular-file.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ringlint-read-regular-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readRegularFileSync', () => {
  it('reads a regular file within the limit, to its end', () => {
    writeFileSync(path.join(dir, 'small'), 'twelve bytes');
    expect(readRegularFileSync(path.join(dir, 'small'), 12).toString()).toBe('twelve bytes');
    writeFileSync(path.join(dir, 'empty'), '');
    expect(readRegularFileSync(path.join(dir, 'empty'), 0)).toHaveLength(0);
  });

  it('refuses a file over the limit', () => {
    writeFileSync(path.join(dir, 'large'), 'thirteen bytes');
    expect(() => readRegularFileSync(path.join(dir, 'large'), 12)).toThrow(new NotReadable(path.join(dir, 'large'), 'too large'));
  });

  it('does not follow a symbolic link, even to a readable file', () => {
    writeFileSync(path.join(dir, 'target'), 'secret');
    symlinkSync(path.join(dir, 'target'), path.join(dir, 'link'));
    expect(() => readRegularFileSync(path.join(dir, 'link'), 100)).toThrow(expect.objectContaining({ code: 'ELOOP' }));
  });

  it('does not wait on a FIFO or read a device', { timeout: 10_000 }, () => {
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    expect(() => readRegularFileSync(path.join(dir, 'fifo'), 100)).toThrow(new NotReadable(path.join(dir, 'fifo'), 'not a regular file'));
    expect(() => readRegularFileSync('/dev/zero', 100)).toThrow(new NotReadable('/dev/zero', 'not a regular file'));
  });
});

describe('readRegularFileSync following links', () => {
  it('reads the target of a link, under the same conditions', { timeout: 10_000 }, () => {
    writeFileSync(path.join(dir, 'followed'), 'text');
    symlinkSync(path.join(dir, 'followed'), path.join(dir, 'to-followed'));
    expect(readRegularFileSync(path.join(dir, 'to-followed'), 100, { followLinks: true }).toString()).toBe('text');
    symlinkSync('/dev/zero', path.join(dir, 'to-zero'));
    expect(() => readRegularFileSync(path.join(dir, 'to-zero'), 100, { followLinks: true })).toThrow(new NotReadable(path.join(dir, 'to-zero'), 'not a regular file'));
  });
});
