/**
 * Debian's libpcap, scanned as a user would: its V2 and V3 ownership decisions hide in the macros
 * packet_mmap_acquire / packet_mmap_v3_acquire, and nothing else in it decides ownership wrongly.
 * Expected lines are read from the source itself, so a Debian point release does not break the test.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..');
const cli = join(repo, 'dist', 'src', 'cli', 'main.js');
const fetchCorpus = join(import.meta.dirname, 'fetch-debian-source.sh');
/** apt-get source needs root and Debian's apt, as CI has (where the test runs whatever it finds). */
const canFetch = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');

if (!canFetch && !process.env.CI) {
  console.warn(`skipping the libpcap corpus test: fetching a Debian source package needs root and apt-get`);
}

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  related: { file: string; line: number; message: string }[];
}

/** Lines that use a macro (not its #define), 1-based. */
function useLines(source: string[], macro: string): number[] {
  return source.flatMap((text, index) => (text.includes(`${macro}(`) && !text.includes('#define') ? [index + 1] : []));
}

function defineLine(source: string[], macro: string): number {
  return source.findIndex((text) => text.includes(`#define ${macro}(`)) + 1;
}

describe.runIf(canFetch || process.env.CI)('libpcap from Debian', () => {
  let root: string;
  let findings: JsonFinding[];

  beforeAll(() => {
    const folder = execFileSync('bash', [fetchCorpus, 'libpcap'], {
      cwd: repo,
      env: { ...process.env, CORPUS_DIR: join(repo, '.cache', 'corpus') },
      encoding: 'utf8',
    }).trim();
    root = relative(repo, folder);
    let stdout: string;
    try {
      stdout = execFileSync(process.execPath, [cli, 'scan', root, '--format', 'json', '--no-cache'], { cwd: repo, encoding: 'utf8' });
    } catch (error) {
      const failed = error as { status: number; stdout: string };
      if (failed.status !== 1) throw error;
      stdout = failed.stdout;
    }
    findings = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
  }, 180_000);

  it('reports the V2 and V3 acquire decisions at their use sites, with the macro as related location, and nothing else from RL001–RL004', () => {
    const file = `${root}/pcap-linux.c`;
    const source = readFileSync(join(repo, file), 'utf8').split('\n');
    const v2Uses = useLines(source, 'packet_mmap_acquire');
    const v3Uses = useLines(source, 'packet_mmap_v3_acquire');
    expect(v2Uses.length).toBeGreaterThan(0);
    expect(v3Uses.length).toBeGreaterThan(0);

    const ownership = findings.filter((finding) => ['RL001', 'RL002', 'RL003', 'RL004'].includes(finding.ruleId));
    const expected = [
      ...v2Uses.map((line) => `${file}:${line} RL001`),
      ...v3Uses.map((line) => `${file}:${line} RL004`),
    ].sort();
    expect(ownership.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`).sort()).toEqual(expected);

    for (const finding of ownership) {
      const macro = finding.ruleId === 'RL001' ? 'packet_mmap_acquire' : 'packet_mmap_v3_acquire';
      expect(finding.related).toContainEqual(
        expect.objectContaining({ file, line: defineLine(source, macro), message: `in expansion of macro ${macro}` }),
      );
    }
  });

  it('does not report the free-block count after a filter change (not KERNEL there means "not free")', () => {
    const file = `${root}/pcap-linux.c`;
    const source = readFileSync(join(repo, file), 'utf8').split('\n');
    const countLine = source.findIndex((text) => /pcap_get_ring_frame_status\(handle, offset\) != TP_STATUS_KERNEL/.test(text)) + 1;
    expect(countLine).toBeGreaterThan(0);
    expect(findings.filter((finding) => finding.file === file && finding.line === countLine)).toEqual([]);
  });
});
