// A real, unmodified consumer: Debian's tcpdump (libpcap 1.10). In --immediate-mode libpcap uses a
// TPACKET_V2 ring and decides ownership with `!= TP_STATUS_KERNEL`, so it must break; otherwise it
// uses TPACKET_V3, which the RFC leaves alone, so the check cannot decide.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftoversOf, runCheckCli, runtimeCheckSkipReason } from './check-harness.js';

const skipReason = runtimeCheckSkipReason();
if (skipReason) console.warn(skipReason);

function tcpdumpPath(): string {
  // CI installs tcpdump (.ci/install); a missing binary must fail the test, not skip it.
  return execFileSync('sh', ['-c', 'command -v tcpdump || echo /usr/sbin/tcpdump'], { encoding: 'utf8' }).trim();
}

describe.skipIf(skipReason !== null)('ringlint check on tcpdump', () => {
  const outDirs: string[] = [];
  afterAll(() => {
    for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('--immediate-mode (TPACKET_V2) breaks, with poison frames in the capture file', { timeout: 90_000 }, async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'ringlint-tcpdump-test-'));
    outDirs.push(out);
    // tcpdump drops root for user tcpdump before it opens -w; an existing --out keeps its mode.
    chmodSync(out, 0o777);
    const run = await runCheckCli([
      '--json',
      '--packets',
      '1000',
      '--out',
      out,
      '--grace',
      '1000',
      '--',
      tcpdumpPath(),
      '-i',
      '{iface}',
      '--immediate-mode',
      '-w',
      '{out}/cap.pcap',
    ]);
    const report = run.report;
    expect(report, run.stderr).not.toBe(null);
    if (!report) return;
    expect(report.verdict, `${report.reason}\n${JSON.stringify(report.counters)}\n${run.stderr}`).toBe('breaks');
    expect(run.exitCode).toBe(1);
    expect(report.ring.version).toBe('V2');
    expect(report.ring.emulated).toBe(true);
    expect(report.counters.violations).toBeGreaterThan(0);
    expect(report.counters.poisonTaken).toBeGreaterThan(0);
    // The evidence is in tcpdump's own output: the pcap holds poison frames it captured.
    const pcap = readFileSync(path.join(out, 'cap.pcap'));
    expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(pcap.includes(Buffer.from('RINGLINT-POISON!'))).toBe(true);
    expect(leftoversOf(report)).toEqual([]);
  });

  it('without --immediate-mode (TPACKET_V3) is inconclusive: V3 is not affected', { timeout: 60_000 }, async () => {
    const run = await runCheckCli(['--json', '--packets', '300', '--', tcpdumpPath(), '-i', '{iface}', '-w', '{out}/cap.pcap']);
    const report = run.report;
    expect(report, run.stderr).not.toBe(null);
    if (!report) return;
    expect(report.verdict).toBe('inconclusive');
    expect(run.exitCode).toBe(3);
    expect(report.ring.version).toBe('V3');
    expect(report.ring.emulated).toBe(false);
    expect(report.reason).toMatch(/TPACKET_V3/);
    expect(leftoversOf(report)).toEqual([]);
  });
});
