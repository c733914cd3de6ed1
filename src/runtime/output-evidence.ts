import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { POISON_MAGIC } from './wire-format.js';

/**
 * Poison frames the consumer delivered: every file the consumer wrote under {out} (a pcap from
 * tcpdump, the fixture consumers' frame dumps) is searched for the emulator's poison marker. A
 * poison frame only exists in a slot while it is IN_PROGRESS, so each hit is a frame the consumer
 * took before the emulated kernel published it.
 */
export interface PoisonScan {
  poisonFrames: number;
  filesScanned: number;
  bytesScanned: number;
}

async function countInFile(file: string, marker: Buffer): Promise<{ hits: number; bytes: number }> {
  let hits = 0;
  let bytes = 0;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    const window: Buffer = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let at = window.indexOf(marker);
    while (at !== -1) {
      hits++;
      at = window.indexOf(marker, at + marker.length);
    }
    // Keep a tail shorter than the marker, so a marker split across chunks is found exactly once.
    carry = window.subarray(Math.max(0, window.length - (marker.length - 1)));
  }
  return { hits, bytes };
}

export async function scanForPoison(dir: string): Promise<PoisonScan> {
  const result: PoisonScan = { poisonFrames: 0, filesScanned: 0, bytesScanned: 0 };
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return result;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath ?? dir, entry.name);
    try {
      const { hits, bytes } = await countInFile(file, POISON_MAGIC);
      result.poisonFrames += hits;
      result.bytesScanned += bytes;
      result.filesScanned++;
    } catch {
      // unreadable files (sockets, vanished) carry no evidence
    }
  }
  return result;
}
