/**
 * The two writers and checkers of the scan cache's stamps agree: stamps ringscan wrote in its walk
 * are checked alike by `ringscan verify` and by Node's check (cache/stamps.ts, for machines without
 * ringscan), and so are stamps Node wrote. Each check must hold an unchanged tree, recognise a file
 * by its content hash when only its mtime changed, and see an edit that kept the size.
 */
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { absentRecord, checkStamps, directoryRecord, fileRecord, frameRecord, stampOf, type StampCheck } from '../../src/cache/stamps.js';
import { verifyStamps } from '../../src/native/ringscan-verify.js';
import { RINGSCAN_PATH } from '../../src/native/ringscan-binary.js';
import { walkNatively } from '../../src/native/ringscan.js';
import { KERNEL_EQUALITY_C, makeTempDir, removeTempDir, writeTree } from '../cli/cli-harness.js';

const binary = RINGSCAN_PATH;
const HOUR_AGO = new Date(Date.now() - 3_600_000);
const TWO_HOURS_AGO = new Date(Date.now() - 7_200_000);
const RACY_FROM_NS = BigInt(Date.now() - 1000) * 1_000_000n;
const TOKEN = 'token-1';

describe('stamps written by ringscan and by Node', () => {
  let dir: string;
  let tree: string;

  beforeEach(async () => {
    dir = await makeTempDir();
    tree = join(dir, 'tree');
    await writeTree(tree, {
      'a.c': KERNEL_EQUALITY_C, // flagged by the search: read by the scan, hashed
      'b.c': 'int b(void) { return 0; }\n', // not flagged: stamped without a hash
      'sub/ring.md': '# Ring\n\n```c\nh->tp_status = 0;\n```\n',
      'sub/tab\there.c': 'int t = TP_STATUS_USER;\n',
      'app.ts': 'export const x = 1;\n',
    });
    for (const path of ['a.c', 'b.c', 'sub/ring.md', 'sub/tab\there.c', 'app.ts', 'sub', '.']) utimesSync(join(tree, path), HOUR_AGO, HOUR_AGO);
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  /** Both checks of a stamps file written as the cache writes it, from these records: they must agree. */
  async function checkBoth(records: Buffer[]): Promise<StampCheck> {
    const file = join(dir, 'scan.stamps');
    writeFileSync(file, Buffer.concat([frameRecord('H', TOKEN), ...records, frameRecord('T', TOKEN)]));
    const native = await verifyStamps(binary, file, RACY_FROM_NS);
    const node = checkStamps(readFileSync(file), RACY_FROM_NS);
    expect(node).toEqual(native);
    return native;
  }

  async function ringscanStamps(): Promise<Buffer> {
    const walk = await walkNatively(binary, [tree], 1 << 20);
    return (await walk.stamps()).stamps;
  }

  /** The records Node writes for the same tree, in walk order, with the text of the files a scan reads. */
  function nodeStamps(): Buffer[] {
    const file = (path: string, read: boolean) =>
      fileRecord(stampOf(join(tree, path))!, read ? readFileSync(join(tree, path), 'utf8') : undefined, join(tree, path));
    return [
      directoryRecord(stampOf(tree)!, tree), file('a.c', true), file('app.ts', true), file('b.c', false),
      directoryRecord(stampOf(join(tree, 'sub'))!, join(tree, 'sub')), file('sub/ring.md', true), file('sub/tab\there.c', true),
      absentRecord(join(tree, '.gitignore')),
    ];
  }

  const writers = [
    { writer: 'ringscan', stamps: async () => [await ringscanStamps()] },
    { writer: 'Node', stamps: async () => nodeStamps() },
  ];

  it.each(writers)('hold an unchanged tree ($writer wrote them)', async ({ stamps }) => {
    expect(await checkBoth(await stamps())).toEqual({ changed: false, token: TOKEN });
  });

  it.each(writers)('recognise files the scan read by content when only their mtime changed ($writer wrote them)', async ({ stamps }) => {
    const records = await stamps();
    for (const path of ['a.c', 'sub/ring.md', 'sub/tab\there.c', 'app.ts']) utimesSync(join(tree, path), TWO_HOURS_AGO, TWO_HOURS_AGO);
    expect(await checkBoth(records)).toEqual({ changed: false, token: TOKEN });
  });

  it.each(writers)('see a touched file whose content was not hashed ($writer wrote them)', async ({ stamps }) => {
    const records = await stamps();
    utimesSync(join(tree, 'b.c'), TWO_HOURS_AGO, TWO_HOURS_AGO);
    expect(await checkBoth(records)).toEqual({ changed: true });
  });

  it.each(writers)('see an edit that kept the size and the mtime ($writer wrote them)', async ({ stamps }) => {
    const records = await stamps();
    const path = join(tree, 'a.c');
    writeFileSync(path, readFileSync(path, 'utf8').replace('tp_status', 'tp_statux'));
    utimesSync(path, HOUR_AGO, HOUR_AGO); // only ctime and content tell now
    expect(await checkBoth(records)).toEqual({ changed: true });
  });

  it('see a file that must stay absent appear (Node wrote them)', async () => {
    const records = nodeStamps();
    writeFileSync(join(tree, '.gitignore'), 'b.c\n');
    expect(await checkBoth(records)).toEqual({ changed: true });
  });

  it('are the same records, hashes included, whoever wrote them', async () => {
    // Node hashes the text it read, ringscan the bytes: the same for UTF-8 files.
    const records = (stamps: Buffer) => stamps.toString('latin1').split('\0');
    expect(records(await ringscanStamps())).toEqual(records(Buffer.concat(nodeStamps().slice(0, -1))));
  });
});
