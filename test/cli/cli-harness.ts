import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { readableInstall } from '../package/readable-install.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set only when the run was killed at its deadline. */
  signal?: NodeJS.Signals;
}

/**
 * The scan cache of runs that name none: one directory per test file, removed after it, so tests
 * leave nothing in the user's ~/.cache.
 */
let fileCacheHome: string | undefined;
function defaultCacheHome(): string {
  if (!fileCacheHome) {
    fileCacheHome = mkdtempSync(join(tmpdir(), 'ringlint-test-cache-'));
    chmodSync(fileCacheHome, 0o777); // some tests run the CLI as nobody
  }
  return fileCacheHome;
}
afterAll(() => {
  if (fileCacheHome) rmSync(fileCacheHome, { recursive: true, force: true });
  fileCacheHome = undefined;
});

export interface CliRunOptions {
  cwd: string;
  /** Added to the environment; colour variables are otherwise removed so output is predictable. */
  env?: Record<string, string>;
  /**
   * Run as another user, e.g. nobody, so permission bits bite even when the tests run as root. That
   * user runs a copy of the build it can read (package/readable-install.ts), wherever the clone is.
   */
  uid?: number;
  gid?: number;
  /** Told the CLI process's id as soon as it starts, for tests that act while it runs. */
  onSpawn?: (pid: number) => void;
  /** Kills the CLI after this long: a run that hangs ends with code null and signal SIGKILL, instead of outliving the test. */
  deadlineMs?: number;
}

/** Runs the built CLI, as users and CI do. `npm test` builds first. */
export async function runCli(args: readonly string[], options: CliRunOptions): Promise<CliRun> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the CLI tests`);
  const cli = options.uid === undefined ? CLI : join(await readableInstall(), 'dist', 'src', 'cli', 'main.js');
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  env.XDG_CACHE_HOME = defaultCacheHome();
  Object.assign(env, options.env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
    });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    const deadline = options.deadlineMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.deadlineMs);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      resolve(signal === 'SIGKILL' && deadline !== undefined ? { code, stdout, stderr, signal } : { code, stdout, stderr });
    });
  });
}

/** A fresh directory under the OS temp dir, readable by every user (some tests run the CLI as nobody). */
export async function makeTempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ringlint-test-'));
  await chmod(dir, 0o755);
  return dir;
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Writes `files` (relative path → content) under `root`, creating directories as needed. */
export async function writeTree(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

/** Shapes of the JSON report, for tests that read it. */
export interface JsonReport {
  version: string;
  findings: Array<{
    ruleId: string;
    severity: string;
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    message: string;
    related: Array<{ file: string; line: number; column: number; message: string }>;
  }>;
  filesScanned: number;
  errors: Array<{ file: string; message: string }>;
}

export async function scanJson(args: readonly string[], options: CliRunOptions): Promise<{ run: CliRun; report: JsonReport }> {
  const run = await runCli(['scan', '--format', 'json', ...args], options);
  if (run.code !== 0 && run.code !== 1) throw new Error(`scan exited ${run.code}: ${run.stderr}`);
  return { run, report: JSON.parse(run.stdout) as JsonReport };
}

/** A V2 consumer whose ownership test is `!= TP_STATUS_KERNEL` (RL001) on line 2. */
export const KERNEL_EQUALITY_C =
  'int f(struct tpacket2_hdr *h) {\n' + '\tif (h->tp_status != TP_STATUS_KERNEL) return 1;\n' + '\treturn 0;\n' + '}\n';

/** The same test hidden in a function-like macro: the finding's related locations point into it. */
export const MACRO_KERNEL_EQUALITY_C =
  '#define SLOT_IS_MINE(h) ((h)->tp_status != TP_STATUS_KERNEL)\n' +
  'int f(struct tpacket2_hdr *h) {\n' +
  '\tif (SLOT_IS_MINE(h)) return 1;\n' +
  '\treturn 0;\n' +
  '}\n';

/** C without any ring code: nothing to report whatever the rules. */
export const PLAIN_C = 'int add(int a, int b) {\n\treturn a + b;\n}\n';

/** A file whose scan surfaces as an error entry: a cheap probe for "was this path discovered?". */
export const BINARY_PROBE = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]);
