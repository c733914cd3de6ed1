/**
 * `npm run bench`: ringlint's scan against ripgrep (the floor: reading the bytes) and ast-grep (the
 * structural-search peer) on Debian's Linux 6.1 tree and on libpcap, measured side by side in one
 * run with a warm page cache (the quick rows: medians of seven rounds, each row's command run in
 * turn, in a random order per round). Prints a table, the ratios the targets speak of, and what the
 * scan finds in the kernel tree. Measures; asserts nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CPP_LANGUAGE } from '../../src/cpp/language.js';

const repo = join(import.meta.dirname, '..', '..');
const cli = join(repo, 'dist', 'src', 'cli', 'main.js');
const ringscanBuilt = existsSync(join(repo, 'dist', 'native', 'ringscan'));
const astGrep = join(repo, 'node_modules', '.bin', 'ast-grep');
const fetchCorpus = join(repo, 'test', 'corpus', 'fetch-debian-source.sh');
const only = process.argv.slice(2);

interface Measurement {
  seconds: number;
  peakMb: number;
  stdout: string;
}

/** Wall time of one command, and its peak RSS through GNU time (Debian's `time` package). */
function measure(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Measurement {
  const report = join(scratch, 'time.txt');
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', report, command, ...args], {
    cwd: repo,
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0 && run.status !== 1) throw new Error(`${command} ${args.join(' ')} failed: ${run.stderr}`);
  const seconds = (performance.now() - started) / 1000;
  const kilobytes = Number(execFileSync('tail', ['-n1', report], { encoding: 'utf8' }).trim().split(' ')[1]);
  return { seconds, peakMb: kilobytes / 1024, stdout: run.stdout };
}

/**
 * The run with the median wall time of each command, the commands taken in turn `times` over: a
 * machine that slows down for a while slows every row alike, and the ratios hold. Each round takes
 * them in a new random order: in a fixed one a row inherits its predecessor's after-effects.
 */
function medians<Row extends string>(times: number, commands: Record<Row, () => Measurement>): Record<Row, Measurement> {
  const rows = Object.keys(commands) as Row[];
  const runs = new Map<Row, Measurement[]>(rows.map((row) => [row, []]));
  for (let round = 0; round < times; round++) {
    const order = rows.map((row) => ({ row, key: Math.random() })).sort((a, b) => a.key - b.key);
    for (const { row } of order) runs.get(row)!.push(commands[row]());
  }
  const middle = (row: Row): Measurement => runs.get(row)!.sort((a, b) => a.seconds - b.seconds)[Math.floor(times / 2)]!;
  return Object.fromEntries(rows.map((row) => [row, middle(row)])) as Record<Row, Measurement>;
}

function fetch(name: string): string {
  return execFileSync('bash', [fetchCorpus, name], {
    cwd: repo,
    env: { ...process.env, CORPUS_DIR: join(repo, '.cache', 'corpus') },
    encoding: 'utf8',
  })
    .trim()
    .replace(/\/$/, '');
}

/** The tree's C++ files, and their size (`tree/`: through a symlinked corpus folder too). */
const CPP_EXTENSIONS = CPP_LANGUAGE.extensions;
function cppFiles(tree: string): { count: number; kilobytes: number } {
  const names = CPP_EXTENSIONS.map((extension) => `-name '*${extension}'`).join(' -o ');
  const sizes = execFileSync('bash', ['-c', `find "${tree}/" -type f \\( ${names} \\) -printf '%s\\n'`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  return { count: sizes.length, kilobytes: sizes.reduce((sum, size) => sum + Number(size), 0) / 1024 };
}

/**
 * The tree without its C++ files, hard-linked beside it (same bytes, same page cache; nothing
 * copied): its scan beside the real one's is what the C++ files cost.
 */
function withoutCpp(tree: string): string {
  const parent = join(repo, '.cache', 'bench');
  mkdirSync(parent, { recursive: true });
  const twin = join(mkdtempSync(join(parent, 'without-cpp-')), 'tree');
  execFileSync('cp', ['-al', `${tree}/.`, twin]); // `/.`: through a symlinked corpus folder too
  execFileSync('find', [twin, '-type', 'f', '(', ...CPP_EXTENSIONS.flatMap((extension, index) => [...(index > 0 ? ['-o'] : []), '-name', `*${extension}`]), ')', '-delete']);
  return twin;
}

function sourceMegabytes(tree: string): number {
  const out = execFileSync('bash', ['-c', `find "${tree}/" -type f \\( -name '*.c' -o -name '*.h' \\) -printf '%s\\n' | awk '{s+=$1} END {print s}'`], {
    encoding: 'utf8',
  });
  return Number(out.trim()) / 1e6;
}

const AST_GREP_RULE = `id: ring-status-not-user-bit
language: c
rule:
  any:
    - pattern: $S != TP_STATUS_KERNEL
    - pattern: $S == TP_STATUS_KERNEL
    - pattern: $S == TP_STATUS_USER
    - pattern: $A->tp_status
    - pattern: $A.block_status
`;

const scratch = mkdtempSync(join(tmpdir(), 'ringlint-bench-'));
const cacheHome = join(scratch, 'cache');
const ruleFile = join(scratch, 'rule.yml');
writeFileSync(ruleFile, AST_GREP_RULE);

/** cold: --no-cache; first: the run that fills an empty cache; warm: the next run over the unchanged tree. */
function ringlint(tree: string, extra: string[], cache: 'cold' | 'first' | 'warm', engine?: 'node'): Measurement {
  // --no-ignore: the corpus sits in this repository's ignored .cache folder (and Debian's kernel
  // tree ignores itself); ripgrep and ast-grep are told the same.
  const args = ['scan', relative(repo, tree), '--no-ignore', '--format', 'json', '--quiet', ...extra];
  if (cache === 'cold') args.push('--no-cache');
  const home = cache === 'first' ? mkdtempSync(join(scratch, 'empty-cache-')) : cacheHome;
  const env = { ...process.env, XDG_CACHE_HOME: home, ...(engine ? { RINGLINT_PREFILTER: engine } : {}) };
  // The bin itself, as `npx ringlint` starts it.
  return measure(cli, args, env);
}

function findingsOf(run: Measurement): string[] {
  const report = JSON.parse(run.stdout) as { findings: { file: string; line: number; ruleId: string }[] };
  return report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`);
}

function row(label: string, run: Measurement, floor: Measurement, note = ''): string {
  return `${label.padEnd(34)} ${run.seconds.toFixed(2).padStart(8)} s ${run.peakMb.toFixed(0).padStart(7)} MB ${(run.seconds / floor.seconds).toFixed(3).padStart(9)}  ${note}`;
}

function bench(name: string): void {
  const tree = fetch(name);
  const megabytes = sourceMegabytes(tree);
  const cpp = cppFiles(tree);
  const cFamilyOnly = withoutCpp(tree);
  // Warm the page cache: every tool below reads the same bytes from memory.
  measure('rg', ['-uu', '-c', 'x', tree]);
  ringlint(tree, [], 'warm'); // fills the cache
  const { rg, cold, coldNode, warm, coldWithoutCpp } = medians(7, {
    rg: () => measure('rg', ['-uu', '-l', '-e', 'tp_status', '-e', 'block_status', tree]),
    cold: () => ringlint(tree, [], 'cold'),
    coldNode: () => ringlint(tree, [], 'cold', 'node'),
    warm: () => ringlint(tree, [], 'warm'),
    coldWithoutCpp: () => ringlint(cFamilyOnly, [], 'cold'),
  });
  rmSync(join(cFamilyOnly, '..'), { recursive: true, force: true });
  // Apart: each run writes a new cache (6.6 MB of stamps on the kernel tree), whose writeback would
  // weigh on whatever runs next.
  const { first } = medians(7, { first: () => ringlint(tree, [], 'first') });
  const noPrefilter = ringlint(tree, ['--no-prefilter'], 'cold');
  // ast-grep honours ignore files like ripgrep does; the kernel tree ignores itself, so none apply.
  const sg = measure(astGrep, ['scan', '--rule', ruleFile, '--json=compact', ...['hidden', 'dot', 'exclude', 'global', 'parent', 'vcs'].flatMap((kind) => ['--no-ignore', kind]), tree]);

  console.log(`\n## ${name}: ${relative(repo, tree)} (${megabytes.toFixed(0)} MB of .c/.h)\n`);
  console.log(`${'tool'.padEnd(34)} ${'wall'.padStart(10)} ${'peak RSS'.padStart(10)} ${'÷ ripgrep'.padStart(9)}`);
  console.log(row('ripgrep -l (floor)', rg, rg));
  console.log(row('ringlint scan', cold, rg, ringscanBuilt ? 'ringscan walk' : 'ringscan not built'));
  console.log(row('ringlint scan, C++ files removed', coldWithoutCpp, rg, `the same tree less its ${cpp.count} C++ files`));
  console.log(row('ringlint scan without ringscan', coldNode, rg, 'Node walk and search (no compiler)'));
  console.log(row('ringlint scan, filling the cache', first, rg, 'first run, empty cache'));
  console.log(row('ringlint scan, warm cache', warm, rg, 'second run'));
  console.log(row('ringlint scan --no-prefilter', noPrefilter, rg, `${(megabytes / noPrefilter.seconds).toFixed(1)} MB/s parsed`));
  console.log(row('ast-grep scan (peer)', sg, rg));
  console.log('');
  console.log(`ringlint / ripgrep          ${(cold.seconds / rg.seconds).toFixed(2)}   (target ≤ 1.5 on the kernel tree)`);
  console.log(`ringlint / ast-grep         ${(cold.seconds / sg.seconds).toFixed(3)}  (target ≤ 0.03 on the kernel tree)`);
  console.log(`warm cache / ripgrep        ${(warm.seconds / rg.seconds).toFixed(2)}   (target ≤ 0.5 on the kernel tree)`);
  console.log(`first / second run         ${(first.seconds / warm.seconds).toFixed(1)}×  (target ≥ 5×: a second run on an unchanged tree)`);
  console.log(`cold / warm cache           ${(cold.seconds / warm.seconds).toFixed(1)}×  (for reference; cold: --no-cache, which writes no cache)`);
  console.log(`with / without C++ files    ${(cold.seconds / coldWithoutCpp.seconds).toFixed(3)}  (${cpp.count} files, ${cpp.kilobytes.toFixed(0)} KB of ${CPP_EXTENSIONS.join(' ')}; target ≈ 1)`);
  console.log(`findings without C++ files the same: ${JSON.stringify(findingsOf(cold)) === JSON.stringify(findingsOf(coldWithoutCpp).map((finding) => finding.replace(relative(repo, cFamilyOnly), relative(repo, tree))))}`);

  const found = findingsOf(cold);
  const audited = findingsOf(noPrefilter);
  console.log(`\nfindings: ${found.length}; identical with --no-prefilter: ${JSON.stringify(found) === JSON.stringify(audited)}`);
  for (const finding of found) console.log(`  ${finding}`);
  const producer = found.filter((finding) => finding.includes('net/packet/af_packet.c'));
  if (name === 'linux') console.log(`producer code (net/packet/af_packet.c) reported: ${producer.length === 0 ? 'no' : producer.join(', ')}`);
}

try {
  for (const name of only.length > 0 ? only : ['libpcap', 'linux']) bench(name);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
