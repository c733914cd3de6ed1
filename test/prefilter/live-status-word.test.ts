/**
 * The prefilter's tree check keeps a file only when its syntax tree holds the status word in live
 * code. Most look-alikes (`block_status` fields of unrelated structs) are turned away before any
 * parse; these cases pin that shortcut to what the tree says.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdsStatusWordInLiveCode } from '../../src/prefilter/live-status-word.js';
import { makeTempDir, removeTempDir } from '../cli/cli-harness.js';

// [case, text, kept, parsed to tell]: look-alikes the bytes rule out cost no parse.
const CASES: Array<[name: string, text: string, kept: boolean, parsed: boolean]> = [
  ['unrelated struct field', 'int f(struct sm_oob *oob) { return oob->block_status == 0xff; }\n', false, false],
  ['unrelated field in a comment and a string', '/* bh1 */ const char *s = "x->block_status";\n', false, true],
  ['V3 block through bh1', 'int f(struct tpacket_block_desc *b) { return b->hdr.bh1.block_status; }\n', true, true],
  ['own descriptor struct through h1', 'int f(struct my_desc *d) { return d->h1.block_status & 1; }\n', true, true],
  ['variable declared as a block type', 'int f(void *p) { struct tpacket_hdr_v1 *h = p; return h->block_status; }\n', true, true],
  ['macro body', '#define BLOCK_READY(b) ((b)->block_status & 1)\n', true, true],
  ['macro body continued on the next line', '#define BLOCK_READY(b) \\\n\t((b)->block_status & 1)\n', true, true],
  ['macro body continued with CRLF', '#define BLOCK_READY(b) \\\r\n\t((b)->block_status & 1)\r\n', true, true],
  ['status field of any struct', 'int f(struct whatever *w) { return w->tp_status; }\n', true, true],
  ['TP_STATUS_ name in a comment only', '/* TP_STATUS_USER */ int x;\n', false, true],
  ['look-alike names only', 'int f(struct sctp_status *s) { return s->sstat_state == DP_TP_STATUS_IDLE; }\n', false, false],
  ['look-alike name in a macro body', '#define IDLE(s) ((s)->sctp_status == DP_TP_STATUS_IDLE)\n', false, false],
  ['status name in a macro body', '#define READY(h) ((h)->tp_status & TP_STATUS_USER)\n', true, true],
];

describe('the tree check of the prefilter', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it.each(CASES)('%s', (name, text, kept, parsed) => {
    const path = join(dir, `${name.replace(/\W+/g, '-')}.c`);
    writeFileSync(path, text);
    expect(holdsStatusWordInLiveCode(path, 1 << 20, false)).toEqual({ kept, parsed });
    // --no-prefilter parses every file: the same answer from the tree alone.
    expect(holdsStatusWordInLiveCode(path, 1 << 20, true)).toEqual({ kept, parsed: true });
  });

  // tree-sitter-c reads a C++ class as errors, where a block's path is lost; tree-sitter-cpp reads it.
  it('a V3 block tested in a C++ class of a header', () => {
    const path = join(dir, 'block-class.h');
    writeFileSync(path, 'struct Block {\n  static bool ready(const tpacket_block_desc &b) noexcept { return b.hdr.bh1.block_status & 1; }\n};\n');
    expect(holdsStatusWordInLiveCode(path, 1 << 20, false)).toEqual({ kept: true, parsed: true });
  });
});
