/**
 * The progress a scan reports, and the display that draws it: counters move during each long
 * phase (they stood at `parsing 0/N` for a whole --no-prefilter scan of a large tree).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressDisplay } from '../../src/cli/progress-display.js';
import type { ScanProgress } from '../../src/scan/run-scan.js';
import { KERNEL_EQUALITY_C, makeTempDir, REPO_ROOT, removeTempDir, writeTree } from './cli-harness.js';

/** The package's library entry as built (`npm test` builds first): its worker threads run the built modules. */
const { scanSources } = (await import(pathToFileURL(join(REPO_ROOT, 'dist/src/scan/run-scan.js')).href)) as typeof import('../../src/scan/run-scan.js');

/** More files than the relevance stage judges in-process, so that worker threads parse them. */
const FILES = 150;

describe('scan progress', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    const files: Record<string, string> = { 'ring.c': KERNEL_EQUALITY_C };
    // Consumers that test the USER bit: every file is kept, read and analysed, and none is reported.
    for (let index = 1; index < FILES; index++) files[`lib/f${index}.c`] = `int ready${index}(struct tpacket2_hdr *h) {\n\treturn (h->tp_status & TP_STATUS_USER) != 0;\n}\n`;
    await writeTree(dir, files);
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('counts every file through the parse and analysis phases of a --no-prefilter scan', async () => {
    const seen: ScanProgress[] = [];
    const { report } = await scanSources({ paths: ['.'], cwd: dir, noPrefilter: true, onProgress: (progress) => seen.push({ ...progress }) });
    expect(report.filesParsed).toBe(FILES);
    expect(report.findings.map((finding) => finding.file)).toEqual(['ring.c']);
    // One file at a time to all of them, from the phase's start (reading counts each file as it is read).
    for (const [phase, from] of [['parsing', 0], ['reading', 1], ['analysing', 0]] as const) {
      const steps = seen.filter((progress) => progress.phase === phase);
      expect(new Set(steps.map((step) => step.total)), phase).toEqual(new Set([FILES]));
      expect(steps.map((step) => step.done), phase).toEqual(Array.from({ length: FILES + 1 - from }, (_, index) => from + index));
    }
  });
});

describe('the progress display', () => {
  /** A terminal that records what is drawn, and a clock the test moves. */
  function display(): { draws: string[]; advance: (ms: number) => void; progress: NonNullable<ReturnType<typeof progressDisplay>> } {
    const draws: string[] = [];
    let now = 1000;
    const progress = progressDisplay({ isTTY: true, write: (text: string) => draws.push(text) }, () => now);
    if (!progress) throw new Error('a terminal gets a display');
    return { draws, advance: (ms) => (now += ms), progress };
  }

  it('draws each phase at once, then at most every 100 ms, with the rate and an estimate', () => {
    const { draws, advance, progress } = display();
    progress.update({ phase: 'parsing', done: 0, total: 400 });
    advance(50);
    progress.update({ phase: 'parsing', done: 10, total: 400 });
    advance(50);
    progress.update({ phase: 'parsing', done: 20, total: 400 });
    advance(900);
    progress.update({ phase: 'parsing', done: 200, total: 400 });
    progress.update({ phase: 'analysing', done: 0, total: 400 });
    progress.clear();
    expect(draws).toEqual([
      '\r\x1b[Kringlint: parsing 0/400 files (0/s)',
      '\r\x1b[Kringlint: parsing 20/400 files (200/s, ETA 2s)',
      '\r\x1b[Kringlint: parsing 200/400 files (200/s, ETA 1s)',
      '\r\x1b[Kringlint: analysing 0/400 files (0/s)',
      '\r\x1b[K',
    ]);
  });

  it('draws nothing where standard error is not a terminal', () => {
    expect(progressDisplay({ isTTY: false, write: () => true })).toBeUndefined();
  });
});
