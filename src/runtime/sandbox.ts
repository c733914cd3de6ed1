import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readlinkSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Readable, Writable } from 'node:stream';
import { SupervisedConsumer } from './consumer-process.js';
import { procStat, stillRunning } from './proc-stat.js';
import { SHARED_WITH_CONSUMER, type RunDirectory } from './run-directory.js';

/**
 * Where the consumer runs: namespaces of its own made by native-check/sandbox.c — network (one
 * veth pair: the consumer captures on one end, the traffic generator sends from the other), mount
 * (a private view of the run directory), PID (everything the consumer starts dies with it) and, in
 * `user-namespace` mode, user. The namespaces belong to processes of this check, so they end with
 * it, even when it is SIGKILLed: nothing on the host is created, so nothing on the host is ever
 * looked up by name or removed.
 *
 * Modes (privilege.ts): `netns` when the check runs as root of the initial user namespace;
 * `user-namespace` otherwise, the check being root only inside a user namespace the sandbox makes.
 */
export type SandboxMode = 'netns' | 'user-namespace';

/** The veth pair's ends. Fixed names: the network namespace is the check's alone. */
export const CONSUMER_INTERFACE = 'ringlint-cap';
export const TRAFFIC_INTERFACE = 'ringlint-gen';

export interface SandboxSpec {
  mode: SandboxMode;
  /** native-check/build/ringlint-sandbox */
  launcher: string;
  /** hidden in the sandbox except for what it shares with the consumer */
  run: RunDirectory;
  /** the consumer's argv (environment assignments through `env` included) */
  argv: readonly string[];
}

function nextLine(lines: AsyncIterator<string>): Promise<string | undefined> {
  return lines.next().then((result) => (result.done ? undefined : result.value));
}

function run(program: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(program, args, { encoding: 'utf8' }, (error, _stdout, stderr) =>
      error ? reject(new Error(`${program} ${args.join(' ')}: ${stderr.trim() || error.message}`)) : resolve(),
    );
    child.stdin?.end(input);
  });
}

export class Sandbox {
  /** the kernel's name of the network namespace, `net:[…]` */
  readonly namespace: string;
  /** The consumer's pid as this check sees it; null when it could not be started. */
  consumerPid: number | null = null;
  /** pid 1 of the sandbox's PID namespace (the consumer's parent): the kernel ends it last. */
  private init: { pid: number; startTime: string } | null = null;
  /** Held open so that helpers can still enter the namespaces after the consumer is gone; closed by destroy(). */
  private readonly namespaceFds: { net: number; user: number | null };

  /** `consumer.pid` is the launcher's, whose namespaces are the sandbox's. */
  private constructor(
    readonly mode: SandboxMode,
    readonly consumer: SupervisedConsumer,
  ) {
    this.namespace = readlinkSync(`/proc/${consumer.pid}/ns/net`);
    this.namespaceFds = {
      net: openSync(`/proc/${consumer.pid}/ns/net`, 'r'),
      user: mode === 'user-namespace' ? openSync(`/proc/${consumer.pid}/ns/user`, 'r') : null,
    };
  }

  /**
   * Starts the launcher, adds the veth pair once its namespaces exist, then lets it run the
   * consumer. The returned sandbox's `consumer` is supervised from the first byte of its output.
   */
  static async start(spec: SandboxSpec): Promise<Sandbox> {
    const args = [
      '--parent',
      String(process.pid),
      ...(spec.mode === 'user-namespace' ? ['--user-namespace'] : []),
      '--private',
      spec.run.path,
      ...SHARED_WITH_CONSUMER.flatMap((name) => ['--expose', name]),
      '--',
      ...spec.argv,
    ];
    // Its own process group: the stop sequence signals the group (consumer-process.ts).
    const launcher: ChildProcess = spawn(spec.launcher, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    // 'close' (not 'exit'): its stderr, where a failed set-up says why, has been read to the end.
    const closed = new Promise((resolve) => launcher.once('close', resolve));
    const consumer = new SupervisedConsumer(launcher);
    // spawn made it (stdio[3] 'pipe'): a launcher that could not be started threw above.
    const control = launcher.stdio[3] as Readable & Writable;
    const lines = createInterface({ input: control })[Symbol.asyncIterator]();
    const ready = await nextLine(lines);
    if (ready !== 'ready') {
      await closed;
      throw new Error(`the sandbox could not be set up: ${consumer.outputTail().trim() || 'no reason given'}`);
    }
    let sandbox: Sandbox | undefined;
    try {
      sandbox = new Sandbox(spec.mode, consumer);
      await run(
        'nsenter',
        [...sandbox.enterArgs(), 'ip', '-batch', '-'],
        [
          `link add ${TRAFFIC_INTERFACE} type veth peer name ${CONSUMER_INTERFACE}`,
          'link set lo up',
          `link set ${TRAFFIC_INTERFACE} up`,
          `link set ${CONSUMER_INTERFACE} up`,
          '',
        ].join('\n'),
      );
    } catch (error) {
      consumer.killNow();
      sandbox?.destroy();
      throw error;
    }
    control.write('go\n');
    const started = /^pid (\d+)$/.exec((await nextLine(lines)) ?? '');
    sandbox.consumerPid = started ? Number(started[1]) : null;
    const initPid = sandbox.consumerPid === null ? undefined : procStat(sandbox.consumerPid)?.ppid;
    const init = initPid === undefined ? null : procStat(initPid);
    if (initPid !== undefined && init) sandbox.init = { pid: initPid, startTime: init.startTime };
    control.destroy();
    return sandbox;
  }

  /**
   * Waits (at most `timeoutMs`) until every process of the sandbox is gone. A launcher that ended
   * normally waited for that itself; one SIGKILLed did not, and its consumer may still be dying.
   * Pid 1 of the PID namespace ends only after the kernel has reaped everything else in it.
   */
  async ended(timeoutMs: number): Promise<void> {
    const init = this.init;
    if (!init) return;
    const deadline = Date.now() + timeoutMs;
    while (stillRunning(init.pid, init.startTime) && Date.now() < deadline) await sleep(10);
  }

  /** nsenter options that enter the sandbox's network namespace (and user namespace), through this process's descriptors. */
  private enterArgs(): string[] {
    const fd = (n: number) => `/proc/${process.pid}/fd/${n}`;
    const { net, user } = this.namespaceFds;
    // --preserve-credentials: nsenter's setgroups() is refused in a user namespace; entering it already makes us its root.
    return user === null ? [`--net=${fd(net)}`] : ['--preserve-credentials', `--user=${fd(user)}`, `--net=${fd(net)}`];
  }

  /** argv that runs a program inside the sandbox's network namespace. */
  command(argv: readonly string[]): string[] {
    return ['nsenter', ...this.enterArgs(), '--', ...argv];
  }

  /** Lets the namespaces go (they end once no process is left in them). Called once, by whoever started the sandbox. */
  destroy(): void {
    closeSync(this.namespaceFds.net);
    if (this.namespaceFds.user !== null) closeSync(this.namespaceFds.user);
  }
}
