import { execFileSync, spawn } from 'node:child_process';
import type { SandboxMode } from './network-sandbox.js';

/**
 * How this process gets the right to create a network namespace and veth pair: as root directly;
 * without root by re-running the whole check inside a private user+network namespace
 * (`unshare --user --map-root-user --net`), where it is "root" over a network of its own.
 */
export type PrivilegePlan =
  | { kind: 'run'; mode: SandboxMode }
  | { kind: 'reexec-in-user-namespace' }
  | { kind: 'impossible'; message: string };

/** Set on the re-executed check so it knows it already runs in its private namespace. */
const INSIDE_USER_NAMESPACE = 'RINGLINT_CHECK_IN_USER_NAMESPACE';

export function planPrivileges(): PrivilegePlan {
  if (process.env[INSIDE_USER_NAMESPACE] === '1') return { kind: 'run', mode: 'current-namespace' };
  if (process.geteuid?.() === 0) return { kind: 'run', mode: 'netns' };
  try {
    execFileSync('unshare', ['--user', '--map-root-user', '--net', 'true'], { stdio: 'ignore' });
    return { kind: 'reexec-in-user-namespace' };
  } catch {
    return {
      kind: 'impossible',
      message:
        'ringlint check needs root, or unprivileged user namespaces (unshare --user --net), to create its private ' +
        'network namespace; neither is available here. Run it as root (e.g. sudo), or enable user namespaces ' +
        '(sysctl kernel.unprivileged_userns_clone=1 / user.max_user_namespaces > 0).',
    };
  }
}

/** Runs this same command line again inside a private user+network namespace; resolves to its exit code. */
export function reexecInUserNamespace(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(
      'unshare',
      ['--user', '--map-root-user', '--net', '--', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
      { stdio: 'inherit', env: { ...process.env, [INSIDE_USER_NAMESPACE]: '1' } },
    );
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? (signal ? 2 : 0));
    });
    child.on('error', () => resolve(2));
  });
}
