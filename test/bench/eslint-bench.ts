/**
 * `npm run bench:eslint`: what ringlint's ESLint rules add to a typed ESLint run. typescript-eslint's
 * `recommendedTypeChecked` with the project service, alone and with `ringlint.configs.recommended`,
 * on 50 TS/JS files (copies of fixtures/ts), measured side by side in one run: the two commands in
 * turn, in a random order per round, the median of each. With typed linting ringlint analyses
 * typescript-eslint's program; the target is a wall-time ratio of at most 1.1. Prints wall and CPU
 * time and peak RSS (GNU time), and what each run reported; asserts nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const repo = join(import.meta.dirname, '..', '..');
const eslintCli = join(repo, 'node_modules', 'eslint', 'bin', 'eslint.js');
const plugin = join(repo, 'dist', 'src', 'eslint', 'plugin.js');
const ROUNDS = Number(process.env.ROUNDS ?? 7);

interface Measurement {
  seconds: number;
  /** User + system CPU: less at the mercy of a busy machine than the wall time. */
  cpuSeconds: number;
  peakMb: number;
  messages: { ringlint: number; other: number; fatal: number };
}

const scratch = mkdtempSync(join(tmpdir(), 'ringlint-eslint-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** The fixtures' TS/JS files, three copies and a fourth in part (its files import only if-packet.ts): 50 files. */
const PARTIAL_COPY = ['if-packet.ts', 'clean/correct-consumer.ts', 'clean/flag-tests.ts', 'clean/free-slot-count.ts', 'clean/look-alikes.ts'];

function makeProject(): string[] {
  const fixtures = join(repo, 'fixtures', 'ts');
  for (let copy = 0; copy < 3; copy++) cpSync(fixtures, join(scratch, 'src', `copy${copy}`), { recursive: true });
  for (const file of PARTIAL_COPY) cpSync(join(fixtures, file), join(scratch, 'src', 'copy3', file));
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, allowJs: true, checkJs: false, noEmit: true, skipLibCheck: true, target: 'es2022', module: 'nodenext' }, include: ['src'] }),
  );
  symlinkSync(join(repo, 'node_modules'), join(scratch, 'node_modules'));
  const typed = "{ languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } }";
  writeFileSync(join(scratch, 'alone.config.mjs'), `import tseslint from 'typescript-eslint';\nexport default [...tseslint.configs.recommendedTypeChecked, ${typed}];\n`);
  writeFileSync(
    join(scratch, 'with-ringlint.config.mjs'),
    `import tseslint from 'typescript-eslint';\nimport ringlint from ${JSON.stringify(plugin)};\nexport default [...tseslint.configs.recommendedTypeChecked, ${typed}, ringlint.configs.recommended];\n`,
  );
  return listCode(join(scratch, 'src'));
}

function listCode(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|mts|cts|js|mjs|cjs)$/.test(file))
    .map((file) => join(directory, file))
    .sort();
}

function lint(config: string): Measurement {
  const report = join(scratch, 'time.txt');
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', report, process.execPath, eslintCli, '-c', config, '--format', 'json', 'src'], {
    cwd: scratch,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0 && run.status !== 1) throw new Error(`eslint -c ${config} failed: ${run.stderr}`);
  const [user, system, kilobytes] = execFileSync('tail', ['-n1', report], { encoding: 'utf8' }).trim().split(' ').map(Number);
  const results = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string | null; fatal?: boolean }> }>;
  const all = results.flatMap((result) => result.messages);
  const ringlint = all.filter((message) => message.ruleId?.startsWith('ringlint/')).length;
  const fatal = all.filter((message) => message.fatal).length;
  return { seconds, cpuSeconds: user! + system!, peakMb: kilobytes! / 1024, messages: { ringlint, fatal, other: all.length - ringlint - fatal } };
}

function median(runs: Measurement[], of: (run: Measurement) => number): number {
  return runs.map(of).sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
}

const files = makeProject();
console.log(`typed ESLint on ${files.length} files (${relative(repo, join(repo, 'fixtures', 'ts'))} copied), ${ROUNDS} rounds, eslint ${execFileSync(process.execPath, [eslintCli, '--version'], { encoding: 'utf8' }).trim()}`);
const rows = { 'typescript-eslint alone': 'alone.config.mjs', 'typescript-eslint + ringlint': 'with-ringlint.config.mjs' } as const;
type Row = keyof typeof rows;
const runs = new Map<Row, Measurement[]>(Object.keys(rows).map((row) => [row as Row, []]));
lint(rows['typescript-eslint alone']); // warm the page cache and Node's compile cache, unmeasured
for (let round = 0; round < ROUNDS; round++) {
  const order = (Object.keys(rows) as Row[]).map((row) => ({ row, key: Math.random() })).sort((a, b) => a.key - b.key);
  for (const { row } of order) runs.get(row)!.push(lint(rows[row]));
}
for (const [row, measured] of runs) {
  const { ringlint, other, fatal } = measured[0]!.messages;
  console.log(
    `${row.padEnd(30)} ${median(measured, (run) => run.seconds).toFixed(2).padStart(6)} s wall  ${median(measured, (run) => run.cpuSeconds).toFixed(2).padStart(6)} s CPU  ` +
      `${median(measured, (run) => run.peakMb).toFixed(0).padStart(5)} MB peak RSS  (${other} typescript-eslint, ${ringlint} ringlint, ${fatal} fatal messages)`,
  );
}
const ratio = (of: (run: Measurement) => number): number => median(runs.get('typescript-eslint + ringlint')!, of) / median(runs.get('typescript-eslint alone')!, of);
const wall = ratio((run) => run.seconds);
console.log(
  `ratio (with / alone): ${wall.toFixed(2)}x wall, ${ratio((run) => run.cpuSeconds).toFixed(2)}x CPU, ${ratio((run) => run.peakMb).toFixed(2)}x peak RSS; ` +
    `target <= 1.10x wall: ${wall <= 1.1 ? 'met' : 'NOT met'}`,
);
