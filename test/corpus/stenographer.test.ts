/**
 * Debian's stenographer, a C++ TPACKET_V3 consumer, scanned as a user would: `PacketsV3::NextBlock`
 * waits on `Block::ReadyForUser()`, which tests the USER bit of `Block::Status()`, the block's
 * `block_status`, in stenotype/packets.cc. It must stay clean of ownership findings, and a copy whose
 * test says `!= TP_STATUS_KERNEL` instead must be reported at each use through that helper chain.
 * Expected lines are read from the source itself, so a Debian point release does not break the test.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..');
const cli = join(repo, 'dist', 'src', 'cli', 'main.js');
const fetchCorpus = join(import.meta.dirname, 'fetch-debian-source.sh');
/** apt-get source needs root and Debian's apt, as CI has (where the test runs whatever it finds). */
const canFetch = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');

if (!canFetch && !process.env.CI) {
  console.warn(`skipping the stenographer corpus test: fetching a Debian source package needs root and apt-get`);
}

const OWNERSHIP_RULES = ['RL001', 'RL002', 'RL003', 'RL004'];
const USER_BIT_TEST = 'bool Block::ReadyForUser() { return Status() & TP_STATUS_USER; }';
const KERNEL_TEST = 'bool Block::ReadyForUser() { return Status() != TP_STATUS_KERNEL; }';

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  related: { file: string; line: number; message: string }[];
}

function scan(root: string, cwd: string): JsonFinding[] {
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, [cli, 'scan', root, '--format', 'json', '--no-cache'], { cwd, encoding: 'utf8' });
  } catch (error) {
    const failed = error as { status: number; stdout: string };
    if (failed.status !== 1) throw error;
    stdout = failed.stdout;
  }
  return (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
}

/** 1-based lines holding `text`. */
function linesWith(source: string[], text: string): number[] {
  return source.flatMap((line, index) => (line.includes(text) ? [index + 1] : []));
}

describe.runIf(canFetch || process.env.CI)('stenographer from Debian', () => {
  let root: string;
  let copy: string;

  beforeAll(() => {
    const folder = execFileSync('bash', [fetchCorpus, 'stenographer'], {
      cwd: repo,
      env: { ...process.env, CORPUS_DIR: join(repo, '.cache', 'corpus') },
      encoding: 'utf8',
    }).trim();
    root = relative(repo, folder);
    copy = mkdtempSync(join(tmpdir(), 'ringlint-stenographer-'));
  }, 180_000);
  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('scans clean of ownership findings: Block::ReadyForUser tests the USER bit', () => {
    const source = readFileSync(join(repo, root, 'stenotype', 'packets.cc'), 'utf8');
    expect(source).toContain(USER_BIT_TEST);
    expect(scan(root, repo).filter((finding) => OWNERSHIP_RULES.includes(finding.ruleId))).toEqual([]);
  });

  it('reports a copy testing != TP_STATUS_KERNEL at each use, through ReadyForUser and Status (RL004)', () => {
    cpSync(join(repo, root), copy, { recursive: true });
    const file = join(copy, 'stenotype', 'packets.cc');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace(USER_BIT_TEST, KERNEL_TEST));
    const source = readFileSync(file, 'utf8').split('\n');
    const [decision] = linesWith(source, KERNEL_TEST);
    const [read] = linesWith(source, 'int Block::Status() {');
    const uses = linesWith(source, 'pos_.ReadyForUser()');
    expect(decision).toBeDefined();
    expect(read).toBeDefined();
    expect(uses.length).toBeGreaterThan(0);

    const ownership = scan('.', copy).filter((finding) => OWNERSHIP_RULES.includes(finding.ruleId));
    expect(ownership.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`)).toEqual(uses.map((line) => `stenotype/packets.cc:${line} RL004`));
    for (const finding of ownership) {
      expect(finding.related.map((related) => `${related.line} ${related.message}`)).toEqual([
        `${decision} in helper Block::ReadyForUser()`,
        `${decision} decided here: != TP_STATUS_KERNEL`,
        `${read} in helper Block::Status()`,
        `${read} the block_status read`,
      ]);
    }
  });
});
