/**
 * A WebAssembly tree lives in the WebAssembly heap, which the garbage collector does not see; the
 * parser deletes it once its JavaScript object is collected. Measured in a child Node with
 * --expose-gc: parsing the same text again and again, dropping the trees and collecting, must not
 * grow the heap (Node counts it in `external` memory; it never shrinks), while keeping them does.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..');

const SCRIPT = (parserModule: string): string => `
import { readFileSync } from 'node:fs';
const { loadGrammarParser } = await import(${JSON.stringify(parserModule)});
const parser = await loadGrammarParser('c', 'wasm');
const text = readFileSync(${JSON.stringify(join(REPO, 'fixtures', 'c', 'through-macros', 'libpcap-style.c'))}, 'utf8').repeat(55);
async function collected() {
  for (let round = 0; round < 3; round++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 10)); // finalizers run between tasks
  }
  return process.memoryUsage().external;
}
const kept = [];
const growth = {};
for (const keep of [false, true]) {
  parser.parse(text); // the heap's first growth, before measuring
  const before = await collected();
  for (let index = 0; index < 40; index++) {
    const tree = parser.parse(text);
    if (keep) kept.push(tree);
    else if (index % 5 === 4) await collected(); // deleted trees leave their memory to the next ones
  }
  growth[keep ? 'kept' : 'dropped'] = (await collected()) - before;
}
console.log(JSON.stringify(growth));
`;

describe('WebAssembly trees', () => {
  it('are deleted once nothing refers to them', { timeout: 60_000 }, async () => {
    const parserModule = pathToFileURL(join(REPO, 'dist', 'src', 'tree-sitter', 'grammar-parser.js')).href;
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--input-type=module', '-e', SCRIPT(parserModule)]);
    const { kept, dropped } = JSON.parse(stdout) as { kept: number; dropped: number };
    // 40 kept trees of a 100 KB text outgrow the heap's first 32 MB.
    expect(kept).toBeGreaterThan(10_000_000);
    expect(dropped).toBeLessThan(kept / 4);
  });
});
