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

/** `8mb`, `512K`, `1.5MB` or a plain byte count, in bytes; units are binary, as `du -h` shows sizes. Undefined when it is none of these. */
export function byteSize(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = UNIT_BYTES[match?.[2]?.toLowerCase() ?? 'invalid'];
  return match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : undefined;
}

/** A --max-file-size limit: a byte size of at least one byte. A limit of 0 would analyse nothing (empty files have nothing to analyse). */
export function fileSizeLimit(value: string): number | undefined {
  const bytes = byteSize(value);
  return bytes !== undefined && bytes > 0 ? bytes : undefined;
}
