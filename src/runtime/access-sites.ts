import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { WatchReport, WatchSite } from './emulator-channel.js';

/**
 * The source lines of the instructions that touched a status word while its slot was IN_PROGRESS
 * (the emulator's hardware watchpoints report an object file and an address in it), read from the
 * consumer's DWARF by elfutils' eu-addr2line, inlined frames included. binutils' addr2line 2.40
 * (Debian 12) names the wrong file for code inlined from a header in gcc 12's DWARF 5 line tables.
 * The object path comes from the consumer's process: it is only ever read, as an argument of -e.
 */
export interface SourceFrame {
  function: string;
  /** as the DWARF records it (usually absolute); null when the object has no line information */
  file: string | null;
  line: number;
  column: number;
}

export interface AccessSite extends WatchSite {
  /** innermost first: the function the instruction belongs to, then those it is inlined into */
  frames: SourceFrame[];
}

/** One access while IN_PROGRESS: which slot, when, by which instruction. */
export interface AccessMoment {
  slot: number;
  tMs: number;
  /** index in `sites`; -1 when the instruction was not kept */
  site: number;
}

export interface AccessAttribution {
  /** whether the run could tell the source lines (some site has a file and line) */
  available: boolean;
  /** why not, when it could not */
  reason: string;
  /** the instructions, most accesses first */
  sites: AccessSite[];
  hits: number;
  /** the first accesses (up to 256 per process) */
  moments: AccessMoment[];
}

const ADDRESS = /^0x[0-9a-f]{1,16}$/;
const SYMBOLIZE_TIMEOUT_MS = 10_000;

const SYMBOLIZER = 'eu-addr2line';

/** The frames of each address; null when the symbolizer is not installed. */
function symbolize(object: string, addresses: string[]): Promise<Map<string, SourceFrame[]> | null> {
  return new Promise((resolve) => {
    execFile(
      SYMBOLIZER,
      ['-e', object, '-f', '-i', '-a', ...addresses],
      { encoding: 'utf8', timeout: SYMBOLIZE_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 },
      // It exits 1 when some address has no line information, and still prints every address.
      (error, stdout) => resolve((error as NodeJS.ErrnoException | null)?.code === 'ENOENT' ? null : parseFrames(stdout ?? '')),
    );
  });
}

/** eu-addr2line -f -i -a: an address line, then per frame its function ("f inlined at … in g") and `file:line[:column]`. */
export function parseFrames(output: string): Map<string, SourceFrame[]> {
  const frames = new Map<string, SourceFrame[]>();
  const lines = output.split('\n');
  let current: SourceFrame[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^0x[0-9a-f]+$/.test(line)) {
      current = [];
      frames.set(`0x${BigInt(line).toString(16)}`, current);
      continue;
    }
    const where = lines[i + 1];
    if (!current || where === undefined || line === '') continue;
    i++;
    const location = /^(.*?):(\d+)(?::(\d+))?$/.exec(where);
    const file = location?.[1] && location[1] !== '??' ? location[1] : null;
    current.push({
      function: line.replace(/ inlined at .*$/, ''),
      file,
      line: file ? Number(location?.[2]) : 0,
      column: file ? Number(location?.[3] ?? 0) : 0,
    });
  }
  return frames;
}

function readableObject(object: string): boolean {
  try {
    return path.isAbsolute(object) && statSync(object).isFile();
  } catch {
    return false;
  }
}

/** Resolves what the emulator watched; never throws (a site it cannot resolve keeps `??` frames). */
export async function attributeAccesses(watches: WatchReport[]): Promise<AccessAttribution> {
  const sites = watches.flatMap((watch) => watch.sites).filter((site) => ADDRESS.test(site.address));
  const hits = watches.reduce((sum, watch) => sum + watch.hits, 0);
  const none = (reason: string): AccessAttribution => ({ available: false, reason, sites: [], hits, moments: [] });
  if (watches.length === 0) return none('the consumer mapped no emulated ring');
  const unavailable = watches.find((watch) => watch.unavailable !== '' && watch.threads === 0);
  if (sites.length === 0)
    return none(unavailable ? `the emulator could not watch the consumer's threads: ${unavailable.unavailable}` : "no instruction of the consumer's touched a watched IN_PROGRESS status word");
  const byObject = new Map<string, WatchSite[]>();
  for (const site of sites) byObject.set(site.object, [...(byObject.get(site.object) ?? []), site]);
  const resolved: AccessSite[] = [];
  let symbolizerMissing = false;
  for (const [object, objectSites] of byObject) {
    const frames = readableObject(object) ? await symbolize(object, objectSites.map((site) => site.address)) : new Map<string, SourceFrame[]>();
    if (frames === null) symbolizerMissing = true;
    for (const site of objectSites) resolved.push({ ...site, frames: frames?.get(`0x${BigInt(site.address).toString(16)}`) ?? [] });
  }
  resolved.sort((a, b) => b.hits - a.hits);
  const moments = watches
    .flatMap((watch) =>
      (watch.hitLog ?? []).map(([slot, index, tMs]) => {
        const site = watch.sites[index];
        return { slot, tMs, site: site ? resolved.findIndex((one) => one.object === site.object && one.address === site.address) : -1 };
      }),
    )
    .sort((a, b) => a.tMs - b.tMs);
  if (resolved.some((site) => site.frames.some((frame) => frame.file !== null)))
    return { available: true, reason: '', sites: resolved, hits, moments };
  const objects = [...new Set(resolved.map((site) => path.basename(site.object) || '(unknown object)'))].join(', ');
  return {
    available: false,
    reason: symbolizerMissing
      ? `${SYMBOLIZER} (Debian's elfutils) is not installed, so the instructions that touched IN_PROGRESS slots (in ${objects}) could not be mapped to source lines`
      : `the instructions that touched IN_PROGRESS slots (in ${objects}) have no line information: build with -g, or install the -dbgsym package`,
    sites: resolved,
    hits,
    moments,
  };
}
