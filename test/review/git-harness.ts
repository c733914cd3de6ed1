import { execFileSync } from 'node:child_process';

/** Runs git in `dir` with a fixed identity, so tests do not depend on the machine's git config. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=ringlint test', '-c', 'user.email=test@ringlint.invalid', '-c', 'init.defaultBranch=main', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
}

export function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

/** Each suite keeps its own scan cache, so runs neither share nor race on the user's. */
export function isolatedCache(dir: string): Record<string, string> {
  return { XDG_CACHE_HOME: `${dir}/.test-cache` };
}
