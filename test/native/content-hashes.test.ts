/**
 * Placing content hashes into a native walk's stamps: the binary search over byte offsets must
 * find exactly the file records a plain split of every record finds, wherever they sit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pathFromBytes, pathToBytes } from '../../src/files/path-bytes.js';
import { withContentHashes } from '../../src/native/ringscan.js';

/** ringscan's walk order: bytewise, except that '/' sorts before every other byte. */
function walkOrder(a: string, b: string): number {
  const rank = (byte: number) => (byte === 0x2f ? -1 : byte);
  const [x, y] = [pathToBytes(a), pathToBytes(b)];
  for (let index = 0; index < Math.min(x.length, y.length); index++) if (x[index] !== y[index]) return rank(x[index]!) - rank(y[index]!);
  return x.length - y.length;
}

function stampsOf(records: ReadonlyArray<{ path: string; directory: boolean }>): Buffer {
  return Buffer.concat(records.map(({ path, directory }) => Buffer.concat([Buffer.from(directory ? 'D\t17\t18\t2\t' : 'F\t10\t17\t18\t3\t-\t'), pathToBytes(path), Buffer.of(0)])));
}

/** The expected result, from every record split apart. */
function placedByHand(stamps: Buffer, hashes: ReadonlyMap<string, string>): { stamps: string; unplaced: string[] } {
  const records = pathFromBytes(stamps).split('\0').slice(0, -1);
  const files = new Set(records.filter((record) => record.startsWith('F')).map((record) => record.split('\t').slice(6).join('\t')));
  const placed = records.map((record) => {
    if (!record.startsWith('F')) return record;
    const fields = record.split('\t');
    const sha1 = hashes.get(fields.slice(6).join('\t'));
    return sha1 === undefined ? record : [...fields.slice(0, 5), sha1, ...fields.slice(6)].join('\t');
  });
  return { stamps: placed.map((record) => `${record}\0`).join(''), unplaced: [...hashes.keys()].filter((path) => !files.has(path)) };
}

const pathArbitrary = fc
  // '\udcff': the byte 0xff of a name that is not UTF-8 (files/path-bytes.ts).
  .array(fc.constantFrom('a', 'b', 'ab', 'a-b', 'a.c', 'é', 'tab\there', 'x', 'n\udcff', '\udc80z'), { minLength: 1, maxLength: 4 })
  .map((parts) => `/t/${parts.join('/')}`);

describe('content hashes in native stamps', () => {
  it('are placed in every file record they name, and only there', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ path: pathArbitrary, directory: fc.boolean() }), { selector: (record) => record.path, maxLength: 40 }),
        fc.uniqueArray(pathArbitrary, { maxLength: 10 }),
        (records, absent) => {
          const stamps = stampsOf([...records].sort((a, b) => walkOrder(a.path, b.path)));
          const hashes = new Map(
            [...records.filter((_, index) => index % 2 === 0).map((record) => record.path), ...absent].map((path, index) => [path, String(index).padStart(40, '0')]),
          );
          const result = withContentHashes(stamps, hashes);
          const expected = placedByHand(stamps, hashes);
          expect(pathFromBytes(result.stamps)).toBe(expected.stamps);
          expect(result.unplaced.sort()).toEqual(expected.unplaced.sort());
        },
      ),
      { numRuns: 300 },
    );
  });
});
