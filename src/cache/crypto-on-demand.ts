/**
 * node:crypto, loaded on first use: loading it is not free, and the early stamp check, the first
 * thing a scan with a cache does (cli/main.ts), needs none of it before it has started ringscan.
 */
import { createRequire } from 'node:module';

let loaded: typeof import('node:crypto') | undefined;

export function nodeCrypto(): typeof import('node:crypto') {
  loaded ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return loaded;
}

/** The SHA-1 of `data` in hex: the stamps' content hashes, a cache's key. */
export function sha1Of(data: string | Uint8Array): string {
  return nodeCrypto().createHash('sha1').update(data).digest('hex');
}
