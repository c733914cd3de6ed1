// npm run bench:check-stability [-- RUNS [NAME-FILTER]] — runs every fixture consumer (or those
// whose name contains NAME-FILTER) through `ringlint check` RUNS times (default 10) and reports flapping: any fixture whose verdict was not the same every
// time, or not the one its `ringlint-check-expect:` annotation names. Exit 1 when something flaps.
// A benchmark script, not a test: it takes minutes (about 4 s per run).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repoRoot, 'dist/src/cli/main.js');
const sources = path.join(repoRoot, 'fixtures/consumers');
const binaries = path.join(repoRoot, 'native-check/build/consumers');

interface Fixture {
  name: string;
  expected: string;
  command: string[];
  extraArgs: string[];
}

function expectation(file: string): string {
  return /ringlint-check-expect:\s*(\w+)/.exec(readFileSync(file, 'utf8'))?.[1] ?? 'unannotated';
}

const fixtures: Fixture[] = [
  ...readdirSync(sources)
    .filter((file) => file.endsWith('.c'))
    .sort()
    .map((file) => ({
      name: file,
      expected: expectation(path.join(sources, file)),
      command: [path.join(binaries, path.basename(file, '.c')), '{iface}', '{out}'],
      extraArgs: file === 'ignores-stop-signals.c' ? ['--grace', '300'] : [],
    })),
  ...['kernel-inequality.mjs', 'user-bit.mjs'].map((file) => ({
    name: `node/${file}`,
    expected: expectation(path.join(sources, 'node', file)),
    command: [process.execPath, path.join(sources, 'node', file), '{iface}', '{out}'],
    extraArgs: [],
  })),
];

function check(fixture: Fixture): Promise<{ verdict: string; reason: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'check', '--json', ...fixture.extraArgs, '--', ...fixture.command], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      try {
        const report = JSON.parse(stdout) as { verdict: string; reason: string };
        resolve({ verdict: report.verdict, reason: report.reason, ms: Date.now() - started });
      } catch {
        const lines = stderr.trim().split('\n');
        const cause = lines.find((line) => /error/i.test(line)) ?? lines.pop() ?? '';
        resolve({ verdict: `tool-error(${code})`, reason: cause, ms: Date.now() - started });
      }
    });
  });
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 10);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`RUNS must be a positive integer, got ${process.argv[2]}`);
  const filter = process.argv[3] ?? '';
  const selected = fixtures.filter((fixture) => fixture.name.includes(filter));
  let flapping = 0;
  console.log(`${runs} run(s) per fixture`);
  for (const fixture of selected) {
    const counts = new Map<string, number>();
    const odd: string[] = [];
    let totalMs = 0;
    for (let i = 0; i < runs; i++) {
      const result = await check(fixture);
      totalMs += result.ms;
      counts.set(result.verdict, (counts.get(result.verdict) ?? 0) + 1);
      if (result.verdict !== fixture.expected) odd.push(`run ${i + 1}: ${result.verdict} — ${result.reason}`);
    }
    const stable = counts.size === 1 && counts.has(fixture.expected);
    if (!stable) flapping++;
    const tally = [...counts].map(([verdict, n]) => `${verdict}×${n}`).join(' ');
    console.log(
      `${stable ? 'stable  ' : 'FLAPPING'} ${fixture.name.padEnd(30)} expect ${fixture.expected.padEnd(12)} got ${tally.padEnd(24)} ${(totalMs / runs / 1000).toFixed(1)} s/run`,
    );
    for (const line of odd) console.log(`         ${line}`);
  }
  console.log(flapping === 0 ? `no flapping across ${selected.length} fixtures` : `${flapping} of ${selected.length} fixtures flapped`);
  process.exitCode = flapping === 0 ? 0 : 1;
}

await main();
