// npm run bench:check [-- REPEATS] — what the IN_PROGRESS emulator costs a consumer that keeps up.
//
// The same safe fixture consumer (poll-user-bit, 4096-frame TPACKET_V2 ring) receives the same
// seeded traffic three ways, side by side in one run, at 10k, 100k and the maximum frames/s:
//   baseline   no library: the real kernel ring
//   emu-0us    under the emulator with no IN_PROGRESS delay: the machinery's own cost
//   emu-dflt   under the emulator with the check's default 20–2000 us IN_PROGRESS delay
// Reported: frames delivered, frames lost, where the emulator lost them (real ring overflow = the
// emulator's reader fell behind; emulated ring full = the consumer or the delay held slots), the
// consumer-side latency from the kernel's receive timestamp, and ratios against the baseline.
// Then `ringlint check --baseline-run` itself at each rate: its verdict object's emulated run and
// pass-through baseline (same consumer, same traffic, emulator off) side by side, as a user sees them.
// Figures only: nothing here asserts on timing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmulatorChannel } from '../../src/runtime/emulator-channel.js';
import { locateNativeArtifacts, nativeBuildDir } from '../../src/runtime/native-artifacts.js';
import { RunDirectory, sweepDeadRunDirectories } from '../../src/runtime/run-directory.js';
import { runCheck, type RunFigures } from '../../src/runtime/run-check.js';
import { CONSUMER_INTERFACE, Sandbox } from '../../src/runtime/sandbox.js';
import { sendTraffic } from '../../src/runtime/traffic-generator.js';

interface ConsumerSummary {
  traffic: number;
  poison: number;
  latencyUs: { samples: number; mean: number; p50: number; p99: number; max: number };
}

interface Row {
  rate: string;
  config: string;
  sent: number;
  sendMs: number;
  delivered: number;
  lost: number;
  realRingDrops: number | null;
  emulatedRingDrops: number | null;
  latency: ConsumerSummary['latencyUs'];
}

const RING_FRAMES = 4096;
const SECONDS = 2;
const PLANS: Array<{ label: string; rate: number; count: number }> = [
  { label: '10k/s', rate: 10_000, count: 10_000 * SECONDS },
  { label: '100k/s', rate: 100_000, count: 100_000 * SECONDS },
  { label: 'max', rate: 0, count: 400_000 },
];
const CONFIGS: Array<{ label: string; delay: [number, number] | null }> = [
  { label: 'baseline', delay: null },
  { label: 'emu-0us', delay: [0, 0] },
  { label: 'emu-dflt', delay: [20, 2000] },
];

async function measure(plan: (typeof PLANS)[number], config: (typeof CONFIGS)[number], seed: number): Promise<Row> {
  const native = locateNativeArtifacts();
  const run = RunDirectory.create();
  const outDir = run.outDir;
  const channel = new EmulatorChannel(run.emulatorDir);
  let sandbox: Sandbox | null = null;
  try {
    const emulatorEnv = config.delay
      ? channel.environment(native.emulatorLibrary, {
          seed,
          producers: 4,
          delayUs: config.delay,
          inProgress: 'undefined-bit',
          stallMs: 500,
        }, false)
      : {};
    const assignments = Object.entries({ ...emulatorEnv, RINGLINT_FIXTURE_FRAMES: String(RING_FRAMES) }).map(([name, value]) => `${name}=${value}`);
    sandbox = await Sandbox.start({
      mode: 'netns',
      launcher: native.sandboxLauncher,
      run,
      argv: ['env', ...assignments, path.join(nativeBuildDir(), 'consumers', 'poll-user-bit'), CONSUMER_INTERFACE, outDir],
    });
    const consumer = sandbox.consumer;
    if (config.delay) await channel.waitForRing(10_000, () => consumer.hasExited);
    else await sleep(500); // no emulator to tell us; the ring is up well within this
    const traffic = await sendTraffic(sandbox, native.trafficGenerator, { packets: plan.count, rate: plan.rate, seed, vlanEvery: 5 });
    await sleep(700);
    const reports = config.delay ? await channel.requestSnapshot(3000, () => consumer.hasExited) : [];
    await consumer.stop(3000);
    const summary = JSON.parse(readFileSync(path.join(outDir, 'consumer.json'), 'utf8')) as ConsumerSummary;
    const counters = reports.flatMap((report) => report.rings).find((ring) => ring.emulated)?.counters;
    return {
      rate: plan.label,
      config: config.label,
      sent: traffic.sent,
      sendMs: traffic.elapsedMs,
      delivered: summary.traffic,
      lost: traffic.sent - summary.traffic,
      realRingDrops: counters ? counters.kernelDrops : null,
      emulatedRingDrops: counters ? counters.drops : null,
      latency: summary.latencyUs,
    };
  } finally {
    if (sandbox && !sandbox.consumer.hasExited) sandbox.consumer.killNow();
    sandbox?.destroy();
    run.remove();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function medianRow(rows: Row[]): Row {
  const first = rows[0];
  if (!first) throw new Error('no samples');
  const pick = (get: (row: Row) => number) => median(rows.map(get));
  const pickOptional = (get: (row: Row) => number | null) => (get(first) === null ? null : median(rows.map((row) => get(row) ?? 0)));
  return {
    rate: first.rate,
    config: first.config,
    sent: pick((row) => row.sent),
    sendMs: pick((row) => row.sendMs),
    delivered: pick((row) => row.delivered),
    lost: pick((row) => row.lost),
    realRingDrops: pickOptional((row) => row.realRingDrops),
    emulatedRingDrops: pickOptional((row) => row.emulatedRingDrops),
    latency: {
      samples: pick((row) => row.latency.samples),
      mean: pick((row) => row.latency.mean),
      p50: pick((row) => row.latency.p50),
      p99: pick((row) => row.latency.p99),
      max: pick((row) => row.latency.max),
    },
  };
}

function pad(value: string | number, width: number): string {
  return String(value).padStart(width);
}

async function main(): Promise<void> {
  if (process.geteuid?.() !== 0) {
    process.stderr.write('bench:check needs root (it creates network namespaces)\n');
    process.exitCode = 1;
    return;
  }
  sweepDeadRunDirectories();
  const repeats = Number(process.argv[2] ?? 3);
  // Interleaved repeats, median per cell: a burst of load elsewhere on the machine hits one sample
  // of every configuration rather than all samples of one.
  const samples: Row[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const [index, plan] of PLANS.entries()) {
      for (const config of CONFIGS) {
        process.stderr.write(`measuring ${plan.label} ${config.label} (${repeat + 1}/${repeats})…\n`);
        samples.push(await measure(plan, config, 1000 + index));
      }
    }
  }
  const rows = PLANS.flatMap((plan) =>
    CONFIGS.map((config) => medianRow(samples.filter((row) => row.rate === plan.label && row.config === config.label))),
  );
  console.log(`median of ${repeats} interleaved run(s) per cell`);
  const header = `${pad('rate', 7)} ${pad('config', 9)} ${pad('sent', 7)} ${pad('send/s', 8)} ${pad('delivered', 9)} ${pad('lost', 7)} ${pad('realDrop', 8)} ${pad('emuDrop', 7)} ${pad('lat p50', 8)} ${pad('p99', 7)} ${pad('mean', 7)} ${pad('max', 7)}`;
  console.log(`consumer: fixtures/consumers/poll-user-bit.c, TPACKET_V2, ${RING_FRAMES} frames; latency in us (kernel receive timestamp -> frame taken)`);
  console.log(header);
  for (const row of rows) {
    console.log(
      `${pad(row.rate, 7)} ${pad(row.config, 9)} ${pad(row.sent, 7)} ${pad(Math.round((row.sent / row.sendMs) * 1000), 8)} ${pad(row.delivered, 9)} ${pad(row.lost, 7)} ${pad(row.realRingDrops ?? '-', 8)} ${pad(row.emulatedRingDrops ?? '-', 7)} ${pad(row.latency.p50, 8)} ${pad(row.latency.p99, 7)} ${pad(Math.round(row.latency.mean), 7)} ${pad(row.latency.max, 7)}`,
    );
  }
  console.log('\nratios against the baseline at the same rate (delivered frames; latency p50 / p99, added us):');
  for (const plan of PLANS) {
    const base = rows.find((row) => row.rate === plan.label && row.config === 'baseline');
    if (!base) continue;
    for (const row of rows.filter((r) => r.rate === plan.label && r.config !== 'baseline')) {
      const delivered = base.delivered > 0 ? (row.delivered / base.delivered).toFixed(3) : 'n/a';
      console.log(
        `${pad(plan.label, 7)} ${pad(row.config, 9)}: delivered x${delivered}, extra loss ${row.lost - base.lost} ` +
          `(real ring ${row.realRingDrops ?? 0}, emulated ring ${row.emulatedRingDrops ?? 0}), ` +
          `p50 +${(row.latency.p50 - base.latency.p50).toFixed(0)} us, p99 +${(row.latency.p99 - base.latency.p99).toFixed(0)} us`,
      );
    }
  }
}

/** `ringlint check --baseline-run` on the same consumer: the check's own emulated and pass-through figures. */
async function checkWithBaseline(repeats: number): Promise<void> {
  const native = locateNativeArtifacts();
  const consumer = path.join(nativeBuildDir(), 'consumers', 'poll-user-bit');
  const results: Array<{ plan: string; emulated: RunFigures; passThrough: RunFigures; verdict: string }> = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const [index, plan] of PLANS.entries()) {
      process.stderr.write(`ringlint check --baseline-run at ${plan.label} (${repeat + 1}/${repeats})…\n`);
      const report = await runCheck(
        ['env', `RINGLINT_FIXTURE_FRAMES=${RING_FRAMES}`, consumer, '{iface}', '{out}'],
        {
          packets: plan.count,
          rate: plan.rate,
          seed: 1000 + index,
          vlanEvery: 5,
          producers: 4,
          delayUs: [20, 2000],
          inProgress: 'undefined-bit',
          stallMs: 500,
          startTimeout: 10_000,
          grace: 3000,
          baselineRun: true,
          json: false,
        },
        'netns',
        native,
      );
      if (report.throughput.passThrough) results.push({ plan: plan.label, emulated: report.throughput.emulated, passThrough: report.throughput.passThrough, verdict: report.verdict });
    }
  }
  console.log(`\nringlint check --baseline-run (median of ${repeats}; the verdict object's throughput.emulated and throughput.passThrough):`);
  console.log(`${pad('rate', 7)} ${pad('run', 12)} ${pad('sent', 7)} ${pad('consumed', 8)} ${pad('lost', 7)} ${pad('kernDrop', 8)} ${pad('emuDrop', 7)} ${pad('frames/s', 9)}`);
  for (const plan of PLANS) {
    const cells = results.filter((result) => result.plan === plan.label);
    if (cells.length === 0) continue;
    for (const run of ['emulated', 'passThrough'] as const) {
      const pick = (get: (figures: RunFigures) => number) => median(cells.map((cell) => get(cell[run])));
      console.log(
        `${pad(plan.label, 7)} ${pad(run === 'emulated' ? 'emulated' : 'pass-through', 12)} ${pad(pick((f) => f.sent), 7)} ${pad(pick((f) => f.consumed), 8)} ${pad(pick((f) => f.lost), 7)} ${pad(pick((f) => f.kernelDrops), 8)} ${pad(pick((f) => f.emulatedDrops), 7)} ${pad(pick((f) => f.framesPerSecond), 9)}`,
      );
    }
    const ratio = median(cells.map((cell) => (cell.passThrough.consumed > 0 ? cell.emulated.consumed / cell.passThrough.consumed : 0)));
    console.log(`${pad(plan.label, 7)} emulated/pass-through consumed x${ratio.toFixed(3)} (verdicts: ${cells.map((cell) => cell.verdict).join(', ')})`);
  }
}

await main();
if (process.geteuid?.() === 0) await checkWithBaseline(Number(process.argv[2] ?? 3));
