// Runs `ringlint check` the way a user does — the built CLI in a child process — and inspects
// what it leaves behind. Shared by the runtime test files.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import type { RunFigures } from '../../src/runtime/run-check.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cliPath = path.join(repoRoot, 'dist/src/cli/main.js');
export const consumersSourceDir = path.join(repoRoot, 'fixtures/consumers');
export const consumersBuildDir = path.join(repoRoot, 'native-check/build/consumers');

/** The verdict object printed by `check --json` (the fields the tests look at). */
export interface CheckVerdict {
  verdict: 'safe' | 'breaks' | 'inconclusive' | 'crashed';
  reason: string;
  evidence: string[];
  ring: { version: 'V1' | 'V2' | 'V3' | null; frames: number; frameSize: number; emulated: boolean; withTxRing: boolean };
  counters: Record<
    'claims' | 'publishes' | 'drops' | 'violations' | 'poisonTaken' | 'consumed' | 'stalls' | 'realFrames' | 'waitCalls' | 'readyAnswers',
    number
  >;
  consumer: { pid: number | null; exitCode: number | null; signal: string | null; exitedBeforeStop: boolean; stoppedWith: string | null };
  traffic: { sent: number; seed: number };
  throughput: { emulated: RunFigures; passThrough: RunFigures | null };
  emulator: { inProgressMode: 'undefined-bit' | 'losing'; producers: number; delayUs: [number, number]; seed: number };
  sandbox: { mode: string; namespace: string | null; consumerInterface: string };
  timeline: Array<{ slot: number; event: string }>;
  staleLeftoversRemoved: string[];
  poisonScan: { filesScanned: number; bytesScanned: number; skipped: number; truncated: boolean };
  staticFindings?: {
    findings: Array<{
      ruleId: string;
      file: string;
      line: number;
      runtime: string;
      exercised: { at: 'line' | 'function'; line: number; function: string; hits: number } | null;
    }>;
    summary: string;
  };
  inProgressAccesses: {
    available: boolean;
    reason: string;
    hits: number;
    sites: Array<{ object: string; hits: number; frames: Array<{ function: string; file: string | null; line: number }> }>;
  } | null;
}

export interface CheckRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  report: CheckVerdict | null;
  /** the run was still going at `deadlineMs` and was killed */
  timedOut: boolean;
}

export const EXIT_FOR_VERDICT = { safe: 0, breaks: 1, crashed: 1, inconclusive: 3 } as const;

/**
 * Check runs from parallel test files sweep each other's dead leftovers. The test that SIGKILLs a
 * check must see its own leftovers removed by its own next run, so it holds this lock exclusively
 * while every other run holds it shared (flock(1), util-linux).
 */
export const SWEEP_LOCK = path.join(os.tmpdir(), 'ringlint-runtime-tests.lock');

export interface CheckCliOptions {
  cwd?: string;
  cli?: string;
  unlocked?: boolean;
  env?: NodeJS.ProcessEnv;
  /** programs that run the check (`unshare -n`, `setpriv --reuid=nobody …`): each execs the rest of its arguments */
  prefix?: string[];
  /** a run still going after this long is killed (its whole process group, SIGKILL) and `timedOut` is set */
  deadlineMs?: number;
}

export function runCheckCli(args: string[], options: CheckCliOptions = {}): Promise<CheckRun> {
  return new Promise((resolve, reject) => {
    const argv = [process.execPath, options.cli ?? cliPath, 'check', ...args];
    const locked = options.unlocked ? argv : ['flock', '--shared', SWEEP_LOCK, ...argv];
    const [program = 'flock', ...programArgs] = [...(options.prefix ?? []), ...locked];
    const child = spawn(program, programArgs, {
      cwd: options.cwd ?? repoRoot,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // its own process group, so a deadline takes down everything it started in it
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const deadline =
      options.deadlineMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            try {
              process.kill(-(child.pid ?? 0), 'SIGKILL');
            } catch {
              // already gone
            }
          }, options.deadlineMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(deadline);
      let report: CheckVerdict | null = null;
      try {
        report = JSON.parse(stdout) as CheckVerdict;
      } catch {
        report = null;
      }
      resolve({ exitCode, stdout, stderr, report, timedOut });
    });
  });
}

/** The `ringlint-check-expect:` annotation of a fixture consumer. */
export function expectedVerdict(sourceFile: string): CheckVerdict['verdict'] {
  const match = /ringlint-check-expect:\s*(safe|breaks|inconclusive|crashed)/.exec(readFileSync(sourceFile, 'utf8'));
  if (!match?.[1]) throw new Error(`${sourceFile} has no ringlint-check-expect annotation`);
  return match[1] as CheckVerdict['verdict'];
}

/** Running, not merely unreaped: a killed orphan can linger as a zombie until init reaps it. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** A process's network namespace as the kernel names it (`net:[4026532…]`), or null once it is gone. */
export function networkNamespaceOf(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return null;
  }
}

/** Running processes in a network namespace (`net:[…]`). */
export function processesInNetworkNamespace(namespace: string): number[] {
  return allPids().filter((pid) => networkNamespaceOf(pid) === namespace && isAlive(pid));
}

/** Processes `pid` started, directly or through others. */
export function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const candidate of allPids()) {
    try {
      const stat = readFileSync(`/proc/${candidate}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), candidate]);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Run directories a check process with this pid created and that still exist (under `tmpdir`). */
export function runDirectoriesOf(checkPid: number, tmpdir = os.tmpdir()): string[] {
  return readdirSync(tmpdir).filter((name) => name.startsWith(`ringlint-check-${checkPid}-`));
}

/** Nothing of a finished run may remain: its consumer, or any process in its network namespace. */
export function leftoversOf(report: CheckVerdict): string[] {
  const left: string[] = [];
  if (report.consumer.pid !== null && isAlive(report.consumer.pid)) left.push(`consumer process ${report.consumer.pid}`);
  // Other users' /proc/<pid>/ns links are unreadable without root: only root sees everything.
  if (!isRoot() || !report.sandbox.namespace) return left;
  for (const pid of processesInNetworkNamespace(report.sandbox.namespace)) left.push(`process ${pid} in ${report.sandbox.namespace}`);
  return left;
}

/**
 * Whether this machine can run the runtime check. As root (CI) it always must: the tests never
 * skip there. Without root they run where unprivileged user namespaces exist, else skip loudly.
 */
export function runtimeCheckSkipReason(): string | null {
  if (process.geteuid?.() === 0) return null;
  const probe = spawnSync('unshare', ['--user', '--map-root-user', '--net', 'true'], { stdio: 'ignore' });
  if (probe.status === 0) return null;
  return 'runtime check tests skipped: not root and unprivileged user namespaces are unavailable (run as root to exercise them)';
}

export function isRoot(): boolean {
  return process.geteuid?.() === 0;
}

/** A directory under the system's temporary one, removed after the test file's tests. */
export function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temporaryDirs.push(dir);
  return dir;
}

const temporaryDirs: string[] = [];
afterAll(() => {
  for (const dir of temporaryDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
