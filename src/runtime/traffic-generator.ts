import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { CheckCliOptions } from './check-command.js';
import { TRAFFIC_INTERFACE, type Sandbox } from './sandbox.js';

const execFileAsync = promisify(execFile);

/**
 * The check's traffic: a seeded, sequence-numbered frame pattern sent from the far end of the veth
 * pair by native-check/traffic.c: `packets` frames, `rate` a second (0: as fast as it can). Every
 * `vlanEvery`-th frame is 802.1Q-tagged, so the receiving kernel marks it TP_STATUS_VLAN_VALID and
 * an exact `status == TP_STATUS_USER` test meets a real flag bit.
 */
export interface TrafficResult {
  sent: number;
  seed: number;
  elapsedMs: number;
  vlanFrames: number;
}

export async function sendTraffic(sandbox: Sandbox, generator: string, plan: Pick<CheckCliOptions, 'packets' | 'rate' | 'seed' | 'vlanEvery'>): Promise<TrafficResult> {
  const argv = sandbox.command([
    generator,
    TRAFFIC_INTERFACE,
    String(plan.packets),
    String(plan.rate),
    String(plan.seed),
    String(plan.vlanEvery),
  ]);
  const [program = generator, ...args] = argv;
  const { stdout } = await execFileAsync(program, args, { encoding: 'utf8', timeout: 10 * 60 * 1000 });
  // The generator prints its one JSON line whenever it exits 0 (a failure rejects above).
  return JSON.parse(stdout) as TrafficResult;
}
