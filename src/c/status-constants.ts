/** Reading C integer literals (the TP_STATUS_* values are the vocabulary's: model/status-vocabulary.ts). */

/** Parses a C integer literal (`0`, `0x1`, `1U`, `0UL`, `010`); undefined for anything else. */
export function parseIntegerLiteral(text: string): number | undefined {
  const digits = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)[uUlL]*$/.exec(text.trim())?.[1];
  if (digits === undefined) return undefined;
  // Number() reads JavaScript's 0x and 0b prefixes as C does, but `010` as ten: C's octal is parsed here.
  return /^0[0-7]+$/.test(digits) ? Number.parseInt(digits, 8) : Number(digits);
}
