// The parse of eu-addr2line's frames (inlined ones included): which source line and function an
// instruction that touched an IN_PROGRESS status word belongs to.
import { describe, expect, it } from 'vitest';
import { parseFrames } from '../../src/runtime/access-sites.js';

describe('parseFrames', () => {
  it('reads inlined chains innermost first, file, line and column, and leaves unknown places without a file', () => {
    const output = [
      '0x00000000000013a5',
      'slot_is_ready inlined at /src/consumer-common.h:354:10 in main',
      '/src/poll: kernel/poll-kernel-inequality.c:10:10',
      'main',
      '/src/consumer-common.h:354:10',
      '0x0000000000001000',
      '??',
      '??:0',
      '0x000000000000137d',
      'main',
      '/src/consumer-common.h:366',
      '',
    ].join('\n');
    const frames = parseFrames(output);
    expect(frames.get('0x13a5')).toEqual([
      { function: 'slot_is_ready', file: '/src/poll: kernel/poll-kernel-inequality.c', line: 10, column: 10 },
      { function: 'main', file: '/src/consumer-common.h', line: 354, column: 10 },
    ]);
    expect(frames.get('0x1000')).toEqual([{ function: '??', file: null, line: 0, column: 0 }]);
    expect(frames.get('0x137d')).toEqual([{ function: 'main', file: '/src/consumer-common.h', line: 366, column: 0 }]);
  });
});
