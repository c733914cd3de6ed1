/** TP_STATUS_* values from uapi `linux/if_packet.h`, and reading integer literals. */

/** RX meanings, and flag bits that ride along with TP_STATUS_USER. */
export const RX_STATUS_CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['TP_STATUS_KERNEL', 0],
  ['TP_STATUS_USER', 1 << 0],
  ['TP_STATUS_COPY', 1 << 1],
  ['TP_STATUS_LOSING', 1 << 2],
  ['TP_STATUS_CSUMNOTREADY', 1 << 3],
  ['TP_STATUS_VLAN_VALID', 1 << 4],
  ['TP_STATUS_BLK_TMO', 1 << 5],
  ['TP_STATUS_VLAN_TPID_VALID', 1 << 6],
  ['TP_STATUS_CSUM_VALID', 1 << 7],
  ['TP_STATUS_GSO_TCP', 1 << 8],
  ['TP_STATUS_TS_SOFTWARE', 1 << 29],
  ['TP_STATUS_TS_SYS_HARDWARE', 1 << 30],
  ['TP_STATUS_TS_RAW_HARDWARE', 2 ** 31],
]);

/** On a TX ring the same word has these meanings; comparing with them is correct there. */
export const TX_STATUS_CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['TP_STATUS_AVAILABLE', 0],
  ['TP_STATUS_SEND_REQUEST', 1],
  ['TP_STATUS_SENDING', 2],
  ['TP_STATUS_WRONG_FORMAT', 4],
]);

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
