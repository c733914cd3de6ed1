import { spawnSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import type { SandboxMode } from './sandbox.js';

/**
 * How the check gets the right to make its sandbox (sandbox.ts), decided from what this process
 * is — its user namespace and its uid — never from its environment: `netns` for root of the
 * initial user namespace (the real root); `user-namespace` for anyone else where unprivileged user
 * namespaces exist, the sandbox then making one in which the check is root over its own network.
 * Root inside a container's user namespace takes the second path too: a user namespace of its own
 * is always safe, and the real root's powers are not its.
 */

/** The initial user namespace maps every uid to itself; any other maps a part of it. */
const IDENTITY_UID_MAP = '0 0 4294967295';

function isInitialUserNamespace(): boolean {
  let map: string;
  try {
    map = readFileSync('/proc/self/uid_map', 'utf8').trim().split(/\s+/).join(' ');
  } catch {
    return false;
  }
  if (map !== IDENTITY_UID_MAP) return false;
  // A namespace made with an identity map (by a privileged parent) is still not the initial one.
  // pid 1's namespace link is readable where it matters (as root); unreadable, the map decides.
  try {
    return readlinkSync('/proc/self/ns/user') === readlinkSync('/proc/1/ns/user');
  } catch {
    return true;
  }
}

function userNamespacesAvailable(): boolean {
  return spawnSync('unshare', ['--user', '--map-root-user', '--net', 'true'], { stdio: 'ignore' }).status === 0;
}

/** Throws, saying what to do, when neither mode is possible here. */
export function planSandbox(): SandboxMode {
  if (process.geteuid?.() === 0 && isInitialUserNamespace()) return 'netns';
  if (userNamespacesAvailable()) return 'user-namespace';
  throw new Error(
    'ringlint check needs root, or unprivileged user namespaces (unshare --user --net), to make its sandbox; ' +
      'neither is available here. Run it as root (e.g. sudo), or enable user namespaces ' +
      '(sysctl kernel.unprivileged_userns_clone=1 / user.max_user_namespaces > 0).',
  );
}
