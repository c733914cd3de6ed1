import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Sandbox } from './sandbox.js';

const execFileAsync = promisify(execFile);

/**
 * The check's traffic: a seeded, sequence-numbered frame pattern sent from the far end of the veth
 * pair by native-check/traffic.c. Every `vlanEvery`-th frame is 802.1Q-tagged, so the receiving
 * kernel marks it TP_STATUS_VLAN_VALID and an exact `status == TP_STATUS_USER` test meets a real
 * flag bit.
 */
export interface TrafficPlan {
  count: number;
  /** frames per second; 0 sends as fast as the generator can */
  rate: number;
  seed: number;
  vlanEvery: number;
}

export interface TrafficResult {
  sent: number;
  seed: number;
  elapsedMs: number;
  vlanFrames: number;
}

export async function sendTraffic(sandbox: Sandbox, generator: string, plan: TrafficPlan): Promise<TrafficResult> {
  const argv = sandbox.command([
    generator,
    sandbox.trafficInterface,
    String(plan.count),
    String(plan.rate),
    String(plan.seed),
    String(plan.vlanEvery),
  ]);
  const [program = generator, ...args] = argv;
  const { stdout } = await execFileAsync(program, args, { encoding: 'utf8', timeout: 10 * 60 * 1000 });
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Partial<TrafficResult>;
  return {
    sent: result.sent ?? 0,
    seed: result.seed ?? plan.seed,
    elapsedMs: result.elapsedMs ?? 0,
    vlanFrames: result.vlanFrames ?? 0,
  };
}
