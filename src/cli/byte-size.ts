import { InvalidArgumentError } from 'commander';

const UNIT_BYTES: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
};

/** Parses `8mb`, `512K`, `1.5MB` or a plain byte count; units are binary, as `du -h` shows sizes. */
export function parseByteSize(value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = UNIT_BYTES[match?.[2]?.toLowerCase() ?? 'invalid'];
  if (!match || unit === undefined) {
    throw new InvalidArgumentError('expected a size such as 8mb, 512kb or 1048576.');
  }
  return Math.floor(Number(match[1]) * unit);
}
