import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { procStat, stillRunning } from './proc-stat.js';

/**
 * The directory of one check run: `<tmpdir>/ringlint-check-<pid>-<start time>-XXXXXX`, mode 0700,
 * owned by whoever runs the check. It holds what the check shares with its consumer:
 *
 * - `emulator/`: the emulator's reports and the check's snapshot requests (emulator-channel.ts);
 * - `out/`: `{out}` unless the user named one with --out.
 *
 * On the host those are reachable only through the 0700 directory, so no other user can plant or
 * read anything there. The consumer reaches them through its sandbox's own view (a tmpfs over
 * this directory showing just these two, native-check/sandbox.c); there they are 1777 like /tmp,
 * because a consumer may switch to another user after mapping its ring (tcpdump does) and must
 * still write its output and its reports.
 *
 * The name records its creator (pid and start time, which together never repeat), so a later run
 * can remove the directory of a check that was killed — and only directories it can prove are
 * such leftovers: owned by the same user, mode 0700, creator gone.
 */
export const SHARED_WITH_CONSUMER = ['emulator', 'out'] as const;

const RUN_DIRECTORY_PREFIX = 'ringlint-check-';
const RUN_DIRECTORY_NAME = /^ringlint-check-(\d+)-(\d+)-[A-Za-z0-9]{6}$/;

export class RunDirectory {
  private constructor(readonly path: string) {}

  static create(): RunDirectory {
    const dir = mkdtempSync(path.join(os.tmpdir(), `${RUN_DIRECTORY_PREFIX}${process.pid}-${procStat('self')?.startTime ?? 0}-`));
    for (const name of SHARED_WITH_CONSUMER) {
      mkdirSync(path.join(dir, name));
      chmodSync(path.join(dir, name), 0o777);
    }
    return new RunDirectory(dir);
  }

  get emulatorDir(): string {
    return path.join(this.path, 'emulator');
  }

  get outDir(): string {
    return path.join(this.path, 'out');
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** Removes run directories of checks that are gone (killed before they could clean up); returns their names. */
export function sweepDeadRunDirectories(): string[] {
  const removed: string[] = [];
  const tmpdir = os.tmpdir();
  let names: string[];
  try {
    names = readdirSync(tmpdir).filter((name) => name.startsWith(RUN_DIRECTORY_PREFIX));
  } catch {
    return removed;
  }
  for (const name of names) {
    const creator = RUN_DIRECTORY_NAME.exec(name);
    if (!creator?.[1] || !creator[2]) continue;
    if (stillRunning(Number(creator[1]), creator[2])) continue;
    const dir = path.join(tmpdir, name);
    try {
      const stats = lstatSync(dir);
      if (!stats.isDirectory() || stats.uid !== process.geteuid?.() || (stats.mode & 0o7777) !== 0o700) continue;
      rmSync(dir, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // removed by another run meanwhile, or not ours to remove
    }
  }
  return removed;
}
