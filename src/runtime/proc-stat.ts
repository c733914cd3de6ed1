import { readFileSync } from 'node:fs';

/**
 * What /proc/<pid>/stat says about a process, in this process's PID namespace: its state (R, S, D,
 * Z — zombie: ended, not yet reaped —…), its parent, and its start time (clock ticks after boot:
 * with the pid, names one process for good, pids being reused).
 */
export function procStat(pid: number | 'self') {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid …": comm may hold spaces and parentheses; start time is field 22.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [state, ppid, startTime] = [fields[0], fields[1], fields[19]];
  if (state === undefined || ppid === undefined || startTime === undefined) return null;
  return { state, ppid: Number(ppid), startTime };
}

/** Whether the process `pid` that started at `startTime` still runs (a zombie has ended). */
export function stillRunning(pid: number, startTime: string): boolean {
  const stat = procStat(pid);
  return stat !== null && stat.startTime === startTime && stat.state !== 'Z';
}
