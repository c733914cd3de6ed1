/**
 * The in-process byte search's first-round query also selects files that include a non-header by
 * quoted path (`#include "ring.inc"`: that file is scanned as C, and only its includer names it).
 * It must select exactly the files whose lines match the include expression, and it decodes only
 * the lines that say `include`: matching whole files as strings was most of a kernel scan's time
 * on machines without ringscan.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_NEEDLES } from '../../src/prefilter/byte-prefilter.js';
import { selectedByBytes } from '../../src/prefilter/byte-search.js';
import { makeTempDir, removeTempDir } from '../cli/cli-harness.js';

const QUERY = { needles: STATUS_NEEDLES, definitions: [], nonHeaderIncludes: true };

// [text, selected]: includers of non-headers, and the includes that are not.
const CASES: Array<[string, boolean]> = [
  ['#include "ring.inc"\n', true],
  ['#  include\t"sub/ring.c"\n', true],
  ['include"x.hh"', true],
  ['#include "a.H"\n', true],
  ['int x; /* include "odd.def" in a comment */\n', true],
  ['#include "ring.h"\n', false],
  ['#include "h"\n', false],
  ['#include <ring.c>\n', false],
  ['#include "ring.c\n"\n', false],
  ['#include ""\n', false],
  ['#include "x.h" "y.c"\n', false],
  ['#include "ring.h"\n#include "ring.h"\nint includes;\n', false],
  ['#include "ring.h"\nstatic int include_x = 1; // "y.c"\n#include "z.inc"\n', true],
  ['#include "caf\xe9.h"\n', false],
  ['#include "caf\xe9.inc"\n', true],
];

/** The expression the search matched whole files with, before it looked only where `include` stands. */
const WHOLE_FILE = /include[ \t]*"[^"\n]*([^h"\n]|[^.\n]h)"/m;

describe('the byte search for includes of non-headers', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  const fileOf = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, Buffer.from(text, 'latin1'));
    return path;
  };

  it.each(CASES)('%j selected: %s', (text, selected) => {
    const path = fileOf('case.c', text);
    expect(selectedByBytes([path], QUERY).has(path)).toBe(selected);
    expect(WHOLE_FILE.test(text)).toBe(selected);
  });

  it('selects what the whole-file expression selects on generated lines', () => {
    const pieces = ['#', ' ', '\t', 'include', '"', 'a', '.', 'h', 'c', '\n', 'x'];
    let seed = 19;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 400; round++) {
      const text = Array.from({ length: 3 + Math.floor(random() * 14) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      const path = fileOf(`generated-${round}.c`, text);
      expect(selectedByBytes([path], QUERY).has(path), JSON.stringify(text)).toBe(WHOLE_FILE.test(text));
    }
  });

  it('decodes only the lines that say include, not the whole file', () => {
    const filler = 'static int value_that_is_not_an_include = 0;\n'.repeat(20_000);
    const path = fileOf('large.c', `#include "ring.h"\n${filler}#include <stdio.h>\n${filler}#include "ring.inc"\n`);
    const decoded: number[] = [];
    const toString = Buffer.prototype.toString; // restored below
    Buffer.prototype.toString = function (this: Buffer, encoding?: BufferEncoding, start?: number, end?: number): string {
      decoded.push((end ?? this.length) - (start ?? 0));
      return toString.call(this, encoding, start, end);
    };
    try {
      expect(selectedByBytes([path], QUERY).has(path)).toBe(true);
    } finally {
      Buffer.prototype.toString = toString;
    }
    expect(Math.max(...decoded)).toBeLessThan(100);
  });
});
