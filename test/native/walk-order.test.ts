/**
 * One walk order (files/walk-order.ts, ringscan.c's `by_walk_order`): ringscan's stamps, the entries
 * Node sorts from ringscan's reports, and Node's own walk (the one machines without a compiler use)
 * meet the files of a tree in the same order, names that sort differently by UTF-16 and by byte
 * (a name that is not UTF-8, a character beyond U+FFFF), and '/' against bytes below it, included.
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/files/discover.js';
import { RINGSCAN_PATH } from '../../src/native/ringscan-binary.js';
import { walkNatively } from '../../src/native/ringscan.js';
import { makeTempDir, removeTempDir } from '../cli/cli-harness.js';

const binary = RINGSCAN_PATH;

/** Files (each names the status word, so that ringscan lists it). */
const NAMES = ['a-b.c', 'a.c', 'a/b.c', 'a/z/q.c', 'a0.c', 'B.c', 'b.c', 'é.c', '\u{1F600}.c', '\uFF21.c', 'x/_.c', 'x/-.c', 'x.c'];

describe('the walk order', () => {
  let tree: string;

  beforeAll(async () => {
    tree = join(await makeTempDir(), 'tree');
    for (const name of NAMES) {
      if (name.endsWith('.c')) {
        mkdirSync(join(tree, name, '..'), { recursive: true });
        writeFileSync(join(tree, name), 'int s = TP_STATUS_USER;\n');
      }
    }
    // A name that is not UTF-8: the byte 0xff.
    writeFileSync(Buffer.concat([Buffer.from(`${tree}/`), Buffer.of(0x61, 0xff), Buffer.from('.c')]), 'int s = TP_STATUS_USER;\n');
    utimesSync(tree, new Date(0), new Date(0));
  });
  afterAll(async () => {
    await removeTempDir(join(tree, '..'));
  });

  it('is the same for ringscan and for Node', async () => {
    const walk = await walkNatively(binary, [tree], 1 << 20);
    const stamped = (await walk.stamps()).files();
    const entries = walk.entries.flatMap((entry) => (entry.type === 'file' ? [entry.path] : []));
    const nodeWalk = (await discoverFiles([tree], tree, { noIgnore: true })).files.map((file) => file.realPath);
    expect(stamped).toHaveLength(NAMES.filter((name) => name.endsWith('.c')).length + 1);
    expect(entries).toEqual(stamped);
    expect(nodeWalk).toEqual(stamped);
    // Depth first: a directory's files come before its siblings' that sort after the '/'.
    expect(stamped.indexOf(join(tree, 'a/z/q.c'))).toBeLessThan(stamped.indexOf(join(tree, 'a-b.c')));
  });
});
