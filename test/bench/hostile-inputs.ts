/**
 * `npm run bench:hostile [-- eslint]`: issue 15's speed targets for hostile input, measured side by
 * side in one run (medians of three, in turn). F18: 37,000 findings on one line, in every format
 * and as baseline fingerprints, under 5 s each, and beside the same findings one per line: a ratio
 * near 1 says the per-line position mapping is linear. Wall time, and CPU time (user + system,
 * through GNU time) which a machine shared with other work inflates less. `eslint` adds the ESLint
 * plugin on both files (slow: its own position mapping is not linear yet). F13: a Markdown document
 * of 20,000 C blocks under 10 s, beside one of 2,000: a ratio near 10 says building and analysing
 * a document's blocks is linear in their number (it was super-quadratic). Measures; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..', '..');
const cli = join(repo, 'dist', 'src', 'cli', 'main.js');
const FINDINGS = 37_000;
const TARGET_SECONDS = 5;

const scratch = mkdtempSync(join(tmpdir(), 'ringlint-bench-hostile-'));
const piece = 'if (h->tp_status == 0) g();';
const trees = {
  'one line': `void f(struct tpacket2_hdr *h){ /* état */ ${`${piece} `.repeat(FINDINGS)}}\n`,
  'one per line': `void f(struct tpacket2_hdr *h){ /* état */\n${`${piece}\n`.repeat(FINDINGS)}}\n`,
};
for (const [name, text] of Object.entries(trees)) {
  mkdirSync(join(scratch, name));
  writeFileSync(join(scratch, name, 'many.c'), text);
}

interface Timing {
  wall: number;
  cpu: number;
}

/** Wall and CPU seconds of one run in the tree, through GNU time; throws on anything but 0 or 1 (findings). */
function measure(tree: string, command: string[]): Timing {
  const report = join(scratch, 'time.txt');
  const env = { ...process.env, XDG_CACHE_HOME: join(scratch, 'cache') };
  const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S', '-o', report, ...command], { cwd: join(scratch, tree), env, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0 && run.status !== 1) throw new Error(`${command.join(' ')} in ${tree} exited ${run.status}: ${run.stderr}`);
  const [wall = NaN, user = NaN, system = NaN] = readFileSync(report, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall, cpu: user + system };
}

const scan = (...args: string[]): string[] => [process.execPath, cli, 'scan', ...args, '--no-cache', '--quiet'];
const rows: Record<string, string[]> = {
  'scan --format json': scan('--format', 'json'),
  'scan --format sarif': scan('--format', 'sarif'),
  'scan (text)': scan(),
  'scan --format rdjson': scan('--format', 'rdjson'),
  // Writes the fingerprints; its scan's cache goes to the scratch directory.
  'baseline': [process.execPath, cli, 'baseline', '--output', 'baseline.json'],
};
if (process.argv.includes('eslint')) {
  const config = join(scratch, 'eslint.config.mjs');
  writeFileSync(config, `import ringlint from ${JSON.stringify(join(repo, 'dist', 'src', 'eslint', 'plugin.js'))};\nexport default [ringlint.configs.c];\n`);
  rows['eslint (ringlint plugin)'] = [process.execPath, join(repo, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--config', config, '--format', 'json', 'many.c'];
}

console.log(`\n## F18: ${FINDINGS} findings in one file (${Object.keys(trees).join(' / ')}), medians of 3\n`);
console.log(`${'command'.padEnd(26)} ${'one line: wall'.padStart(15)} ${'cpu'.padStart(8)}   ${'per line: wall'.padStart(15)} ${'cpu'.padStart(8)}   ${'ratio'.padStart(5)}  target`);
const seconds = (value: number): string => `${value.toFixed(2)} s`.padStart(8);
for (const [label, command] of Object.entries(rows)) {
  const runs: Record<string, Timing[]> = { 'one line': [], 'one per line': [] };
  for (let round = 0; round < 3; round++) for (const tree of Object.keys(trees)) runs[tree]!.push(measure(tree, command));
  const median = (timings: Timing[]): Timing => [...timings].sort((a, b) => a.wall - b.wall)[1]!;
  const [oneLine, perLine] = [median(runs['one line']!), median(runs['one per line']!)];
  const verdict = `< ${TARGET_SECONDS} s: ${oneLine.wall < TARGET_SECONDS ? 'met' : 'MISSED'}`;
  console.log(
    `${label.padEnd(26)} ${seconds(oneLine.wall).padStart(15)} ${seconds(oneLine.cpu)}   ${seconds(perLine.wall).padStart(15)} ${seconds(perLine.cpu)}   ${(oneLine.wall / perLine.wall).toFixed(2).padStart(5)}  ${verdict}`,
  );
}

const BLOCKS = [2_000, 20_000];
const MARKDOWN_TARGET_SECONDS = 10;
const block = (index: number): string => `\`\`\`c\nvoid f${index}(struct tpacket2_hdr *h){ if (h->tp_status == 0) g(); }\n\`\`\`\n`;
for (const count of BLOCKS) {
  mkdirSync(join(scratch, `${count} blocks`));
  writeFileSync(join(scratch, `${count} blocks`, 'm.md'), Array.from({ length: count }, (_, index) => block(index)).join('\n'));
}
console.log(`\n## F13: a Markdown document of C blocks, scan --format json, medians of 3\n`);
console.log(`${'blocks'.padStart(8)} ${'wall'.padStart(8)} ${'cpu'.padStart(8)}   per block vs ${BLOCKS[0]}`);
const markdownRuns = new Map<number, Timing[]>(BLOCKS.map((count) => [count, []]));
for (let round = 0; round < 3; round++) for (const count of BLOCKS) markdownRuns.get(count)!.push(measure(`${count} blocks`, scan('--format', 'json')));
const medians = new Map([...markdownRuns].map(([count, timings]) => [count, [...timings].sort((a, b) => a.wall - b.wall)[1]!]));
for (const [count, timing] of medians) {
  const perBlock = timing.wall / count / (medians.get(BLOCKS[0]!)!.wall / BLOCKS[0]!);
  const verdict = count === BLOCKS.at(-1) ? `  < ${MARKDOWN_TARGET_SECONDS} s: ${timing.wall < MARKDOWN_TARGET_SECONDS ? 'met' : 'MISSED'}` : '';
  console.log(`${String(count).padStart(8)} ${seconds(timing.wall)} ${seconds(timing.cpu)}   ${perBlock.toFixed(2)}x${verdict}`);
}
rmSync(scratch, { recursive: true, force: true });
