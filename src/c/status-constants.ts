/** Reading C integer literals (the TP_STATUS_* values are the vocabulary's: model/status-vocabulary.ts). */

/** Parses a C integer literal (`0`, `0x1`, `1U`, `0UL`, `010`); undefined for anything else. */
export function parseIntegerLiteral(text: string): number | undefined {
  const match = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)[uUlL]*$/.exec(text.trim());
  if (!match?.[1]) return undefined;
  const digits = match[1];
  if (/^0[xX]/.test(digits)) return Number.parseInt(digits.slice(2), 16);
  if (/^0[bB]/.test(digits)) return Number.parseInt(digits.slice(2), 2);
  if (digits.length > 1 && digits.startsWith('0')) return Number.parseInt(digits.slice(1), 8);
  return Number.parseInt(digits, 10);
}
