/**
 * `npm run bench:parse`: tree-sitter's native runtime against the WebAssembly fallback on the same
 * texts, side by side in one process: parse throughput (the median of seven rounds, the runtimes in
 * a random order per round, after one warm-up round each) and the cost of loading each runtime
 * with the C grammar in a fresh Node (median of seven). Corpus: every C file and C block of the
 * fixtures, and the C files of .cache/corpus when fetched (test/bench/scan-bench.ts fetches libpcap
 * and Linux; capped at 64 MB, in path order). Measures; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { findCBlocks } from '../../src/docs/extract-fragments.js';
import { loadGrammarParser, type GrammarParser, type Runtime } from '../../src/tree-sitter/grammar-parser.js';
import { cFiles } from '../c/fixture-c-files.js';

const repo = join(import.meta.dirname, '..', '..');
const CORPUS = join(repo, '.cache', 'corpus');
const CORPUS_CAP_BYTES = 64 * 1024 * 1024;
const ROUNDS = 7;
const RUNTIMES: Runtime[] = ['native', 'wasm'];

interface Sample {
  name: string;
  texts: string[];
  bytes: number;
}

function sample(name: string, texts: string[]): Sample {
  return { name, texts, bytes: texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) };
}

function fixtureSample(): Sample {
  const files = cFiles(join(repo, 'fixtures')).map((file) => readFileSync(file, 'utf8'));
  const blocks = (['markdown', 'rst'] as const).flatMap((kind) =>
    findCBlocks(readFileSync(join(repo, 'fixtures', 'docs', kind === 'markdown' ? 'consumer-guide.md' : 'packet_mmap.rst'), 'utf8'), kind).map((block) => block.unitText()),
  );
  // Taken again and again, to a megabyte a round: a round of 40 kB is over before timing means much.
  const once = [...files, ...blocks];
  const times = Math.ceil(1e6 / sample('', once).bytes);
  return sample(`fixtures (${files.length} files, ${blocks.length} doc blocks, ${times} times)`, Array.from({ length: times }, () => once).flat());
}

function corpusSample(): Sample | undefined {
  if (!existsSync(CORPUS)) return undefined;
  const trees = readdirSync(CORPUS).filter((name) => statSync(join(CORPUS, name)).isDirectory());
  const texts: string[] = [];
  let bytes = 0;
  let skipped = 0;
  for (const file of trees.flatMap((tree) => cFiles(join(CORPUS, tree))).sort()) {
    const size = statSync(file).size;
    if (bytes + size > CORPUS_CAP_BYTES) {
      skipped++;
      continue;
    }
    const text = readFileSync(file, 'utf8');
    if (text.includes('\0')) continue;
    texts.push(text);
    bytes += size;
  }
  if (texts.length === 0) return undefined;
  return sample(`${relative(repo, CORPUS)}: ${trees.join(', ')} (${texts.length} files${skipped ? `, ${skipped} over the cap left out` : ''})`, texts);
}

// Trees are freed by finalizers, after a collection, when the event loop turns (as the relevance
// workers do it, see src/prefilter/relevance-worker.ts): every few megabytes, outside the timing,
// or the trees of a whole round would pile up (WebAssembly's heap stops at 2 GB).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const COLLECT_EVERY_BYTES = 4 * 1024 * 1024;

async function collected(): Promise<void> {
  collectGarbage();
  await new Promise((resolve) => setImmediate(resolve));
}

/** Seconds spent parsing every text, collections left out. */
async function parseAll(parser: GrammarParser, texts: string[]): Promise<number> {
  let seconds = 0;
  let sinceCollection = 0;
  for (const text of texts) {
    const started = performance.now();
    parser.parse(text);
    seconds += (performance.now() - started) / 1000;
    sinceCollection += text.length;
    if (sinceCollection > COLLECT_EVERY_BYTES) {
      sinceCollection = 0;
      await collected();
    }
  }
  await collected();
  return seconds;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** Median seconds per runtime over `ROUNDS` rounds, each round taking the runtimes in a random order. */
async function throughput(parsers: Record<Runtime, GrammarParser>, texts: string[]): Promise<Record<Runtime, number>> {
  for (const runtime of RUNTIMES) await parseAll(parsers[runtime], texts); // warm-up: JIT, and the WebAssembly heap's growth
  const seconds: Record<Runtime, number[]> = { native: [], wasm: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = RUNTIMES.map((runtime) => ({ runtime, key: Math.random() })).sort((a, b) => a.key - b.key);
    for (const { runtime } of order) seconds[runtime].push(await parseAll(parsers[runtime], texts));
  }
  return { native: median(seconds.native), wasm: median(seconds.wasm) };
}

/** Milliseconds to import the runtime and load the C grammar in a fresh Node (the built package). */
function loadMilliseconds(runtime: Runtime): number {
  const module = pathToFileURL(join(repo, 'dist', 'src', 'tree-sitter', 'grammar-parser.js')).href;
  const script = `const started = performance.now(); const { loadGrammarParser } = await import(${JSON.stringify(module)}); await loadGrammarParser('c', ${JSON.stringify(runtime)}); console.log(performance.now() - started);`;
  const runs = Array.from({ length: ROUNDS }, () => Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })));
  return median(runs);
}

const parsers = { native: await loadGrammarParser('c', 'native'), wasm: await loadGrammarParser('c', 'wasm') };
const samples = [fixtureSample(), corpusSample()].filter((found): found is Sample => found !== undefined);

console.log('# tree-sitter-c: native runtime against the WebAssembly fallback (RINGLINT_PARSER=wasm)\n');
console.log(`${'corpus'.padEnd(64)} ${'MB'.padStart(7)} ${'native MB/s'.padStart(12)} ${'wasm MB/s'.padStart(10)} ${'wasm ÷ native'.padStart(14)}`);
for (const { name, texts, bytes } of samples) {
  const seconds = await throughput(parsers, texts);
  const megabytes = bytes / 1e6;
  const rate = (runtime: Runtime): number => megabytes / seconds[runtime];
  console.log(
    `${name.padEnd(64)} ${megabytes.toFixed(2).padStart(7)} ${rate('native').toFixed(1).padStart(12)} ${rate('wasm').toFixed(1).padStart(10)} ${(rate('wasm') / rate('native')).toFixed(2).padStart(14)}`,
  );
}
if (samples.length === 1) console.log('(no .cache/corpus: `npm run bench` fetches libpcap and Linux into it)');
if (existsSync(join(repo, 'dist', 'src', 'tree-sitter', 'grammar-parser.js'))) {
  const load = { native: loadMilliseconds('native'), wasm: loadMilliseconds('wasm') };
  console.log(`\nloading the runtime and the C grammar in a fresh Node: native ${load.native.toFixed(0)} ms, wasm ${load.wasm.toFixed(0)} ms`);
} else {
  console.log('\n(dist/ is not built: the load times are measured on the built package)');
}
