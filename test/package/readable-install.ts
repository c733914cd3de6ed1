/**
 * The built package as another user can run it. Tests run the CLI as nobody so that permission bits
 * bite although the suite runs as root; nobody cannot run the working tree's build when the clone
 * sits below a directory only its owner may enter (`mktemp -d` makes them 0700). So those runs use
 * this copy, made once per test run in the run's directory: what the CLI loads at run time (the
 * manifest, dist/ with ringscan, the rule documents, the config schema, the runtime check's build
 * with the fixture consumers) and the packages it depends on, hard-linked where the file system
 * allows and copied where it does not.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { oncePerRun } from './once-per-run.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** The copy's root: its CLI is dist/src/cli/main.js, as in the working tree. */
export function readableInstall(): Promise<string> {
  return oncePerRun('readable-install', async (target) => {
    const paths = ['package.json', 'dist', 'rules', 'src/config/ringlint.config.schema.json', 'native-check/build', ...runtimePackages()].filter((path) =>
      existsSync(join(REPO_ROOT, path)),
    );
    const copy = async (how: string) => {
      await rm(target, { recursive: true, force: true }); // never copy onto links into the working tree
      await mkdir(target);
      await chmod(target, 0o755);
      await promisify(execFile)('cp', [how, '--parents', '-t', target, ...paths], { cwd: REPO_ROOT });
    };
    await copy('-al').catch(() => copy('-a')); // links fail across file systems
  });
}

/** The installed packages the CLI may load: those the lockfile does not mark as for development only, outermost first. */
function runtimePackages(): string[] {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const needed = Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && entry.dev !== true)
    .map(([path]) => path);
  return needed.filter((path) => !needed.some((outer) => path.startsWith(`${outer}/`)));
}
