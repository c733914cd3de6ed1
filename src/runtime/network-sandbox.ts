import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * The private network the check runs in: one network namespace holding both ends of a veth pair.
 * The consumer captures on one end, the traffic generator sends from the other; no host interface
 * is ever touched.
 *
 * Names carry a recognisable prefix and the owning pid (`ringlint-<pid>-<n>`, `rl<pid>n{a,b}`), so a
 * later run can find leftovers of a run that was killed (even with SIGKILL) and remove exactly those
 * whose owner is dead.
 *
 * Modes: `netns` (root: a named namespace under /run/netns), `current-namespace` (the whole check
 * already runs inside a private user+network namespace created by `unshare`, see privilege.ts).
 */
export type SandboxMode = 'netns' | 'current-namespace';

export interface NetworkSandbox {
  readonly mode: SandboxMode;
  readonly namespace: string | null;
  readonly consumerInterface: string;
  readonly trafficInterface: string;
  /** argv prefix that runs a program inside the sandbox */
  readonly commandPrefix: readonly string[];
  destroy(): Promise<void>;
  /** For exit paths that cannot await (signal handlers, process 'exit'). */
  destroySync(): void;
}

const NAMESPACE_PATTERN = /^ringlint-(\d+)-\d+$/;
const INTERFACE_PATTERN = /^rl(\d+)x\d+[ab]$/;
let sandboxCounter = 0;

async function ip(args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('ip', args, { encoding: 'utf8' });
  return stdout;
}

function ipSync(args: string[]): void {
  try {
    execFileSync('ip', args, { stdio: 'ignore' });
  } catch {
    // Best effort on exit paths: whatever is left, the next run's sweep removes.
  }
}

/** Alive means running: a zombie (killed, not yet reaped by its parent) owns nothing any more. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..."; comm may contain spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function killProcessesInNamespace(namespace: string): Promise<void> {
  let pids: number[] = [];
  try {
    pids = (await ip(['netns', 'pids', namespace])).split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function killProcessesInNamespaceSync(namespace: string): void {
  try {
    const out = execFileSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    for (const pid of out.split(/\s+/).filter(Boolean).map(Number)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  } catch {
    // namespace already gone
  }
}

export async function createNetworkSandbox(mode: SandboxMode): Promise<NetworkSandbox> {
  const serial = sandboxCounter++;
  const consumerInterface = `rl${process.pid}x${serial}b`;
  const trafficInterface = `rl${process.pid}x${serial}a`;
  if (mode === 'current-namespace') {
    await ip(['link', 'add', trafficInterface, 'type', 'veth', 'peer', 'name', consumerInterface]);
    const sandbox: NetworkSandbox = {
      mode,
      namespace: null,
      consumerInterface,
      trafficInterface,
      commandPrefix: [],
      destroy: async () => {
        await ip(['link', 'del', trafficInterface]).catch(() => '');
      },
      destroySync: () => ipSync(['link', 'del', trafficInterface]),
    };
    try {
      await bringUp(sandbox, []);
    } catch (error) {
      await sandbox.destroy();
      throw error;
    }
    return sandbox;
  }

  const namespace = `ringlint-${process.pid}-${serial}`;
  await ip(['netns', 'add', namespace]);
  // Exit paths may race (a signal during the normal teardown): the first one does the work.
  let destroyed = false;
  const sandbox: NetworkSandbox = {
    mode,
    namespace,
    consumerInterface,
    trafficInterface,
    commandPrefix: ['ip', 'netns', 'exec', namespace],
    destroy: async () => {
      if (destroyed) return;
      destroyed = true;
      await killProcessesInNamespace(namespace);
      await ip(['netns', 'del', namespace]).catch(() => '');
    },
    destroySync: () => {
      if (destroyed) return;
      destroyed = true;
      killProcessesInNamespaceSync(namespace);
      ipSync(['netns', 'del', namespace]);
    },
  };
  try {
    await ip(['-n', namespace, 'link', 'add', trafficInterface, 'type', 'veth', 'peer', 'name', consumerInterface]);
    await bringUp(sandbox, ['-n', namespace]);
  } catch (error) {
    await sandbox.destroy();
    throw error;
  }
  return sandbox;
}

async function bringUp(sandbox: NetworkSandbox, namespaceArgs: string[]): Promise<void> {
  // No IPv6 in the sandbox: router solicitations and MLD reports would be frames nobody sent on
  // purpose. Writing "all" also covers the interfaces that already exist.
  // (/proc/sys/net is the namespace's own; sysctl(8) is not on a minimal Debian, sh is.)
  const disable = 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6';
  const [program = 'sh', ...rest] = [...sandbox.commandPrefix, 'sh', '-c', disable];
  await execFileAsync(program, rest).catch(() => undefined);
  await ip([...namespaceArgs, 'link', 'set', 'lo', 'up']);
  await ip([...namespaceArgs, 'link', 'set', sandbox.trafficInterface, 'up']);
  await ip([...namespaceArgs, 'link', 'set', sandbox.consumerInterface, 'up']);
}

/**
 * Removes namespaces and host veths left by check runs whose owning process is dead, killing any
 * process still inside such a namespace first. Live owners (concurrent checks) are left alone.
 */
export async function sweepStaleSandboxes(): Promise<string[]> {
  const removed: string[] = [];
  let namespaces: string[] = [];
  try {
    namespaces = (await ip(['netns', 'list'])).split('\n').map((line) => line.split(' ')[0] ?? '').filter(Boolean);
  } catch {
    return removed;
  }
  for (const namespace of namespaces) {
    const owner = NAMESPACE_PATTERN.exec(namespace)?.[1];
    if (owner === undefined || isProcessAlive(Number(owner))) continue;
    await killProcessesInNamespace(namespace);
    await ip(['netns', 'del', namespace]).catch(() => '');
    removed.push(namespace);
  }
  let links: string[] = [];
  try {
    links = (await ip(['-o', 'link', 'show'])).split('\n');
  } catch {
    return removed;
  }
  for (const line of links) {
    const name = /^\d+:\s+([^:@\s]+)/.exec(line)?.[1];
    const owner = name ? INTERFACE_PATTERN.exec(name)?.[1] : undefined;
    if (!name || owner === undefined || isProcessAlive(Number(owner))) continue;
    await ip(['link', 'del', name]).catch(() => '');
    removed.push(name);
  }
  return removed;
}
