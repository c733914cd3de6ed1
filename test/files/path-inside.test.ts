import { describe, expect, it } from 'vitest';
import { isInsideDirectory } from '../../src/files/path-inside.js';

describe('isInsideDirectory', () => {
  it.each([
    ['/work/tree', '/work/tree', true],
    ['/work/tree/a.c', '/work/tree', true],
    ['/work/tree/sub/a.c', '/work/tree', true],
    ['/work/tree/..hidden/a.c', '/work/tree', true], // a name that starts with two dots is still below
    ['/work/tree2/a.c', '/work/tree', false], // a sibling that shares the prefix is not
    ['/work', '/work/tree', false],
    ['/etc/passwd', '/work/tree', false],
    ['/anything', '/', true],
    ['/work/tree/a.c', '/work/tree/', true],
  ])('%s in %s: %s', (path, dir, inside) => {
    expect(isInsideDirectory(path, dir)).toBe(inside);
  });
});
