/**
 * The status word as each language spells it: the one owner of the names every stage looks for —
 * ringscan's byte search and the byte prefilter (needles), the reading of files too large to parse,
 * the relevance stage, the front ends, the ESLint glue, messages. A language's row in the table
 * (src/languages/table.ts) names its vocabulary.
 */
import type { RingWord } from './status-value.js';

/** A byte string whose presence makes a file worth reading. */
export interface Needle {
  text: string;
  /**
   * Names the ring's status word wherever it stands (as a word). `block_status` does not: many
   * unrelated structs have one, and only a syntax tree tells the ring's from theirs.
   */
  unambiguous: boolean;
}

export interface StatusVocabulary {
  /** The V1/V2 frame's status field, as code of this language spells it. */
  frameFields: readonly string[];
  /** The V3 block's status field (`hdr.bh1.block_status`). */
  blockFields: readonly string[];
  /** What the uapi header's constants start with. */
  constantPrefix: string;
  /** What a byte search looks for in files of this language (among the names above); empty when its files are all analysed. */
  needles: readonly Needle[];
}

/** C, C++, and the code blocks of documents: the uapi header's names. */
export const C_VOCABULARY: StatusVocabulary = {
  frameFields: ['tp_status'],
  blockFields: ['block_status'],
  constantPrefix: 'TP_STATUS_',
  needles: [
    { text: 'tp_status', unambiguous: true },
    { text: 'block_status', unambiguous: false },
    { text: 'TP_STATUS_', unambiguous: true },
  ],
};

/** TypeScript and JavaScript: the uapi names, and the camelCase a binding gives them. */
export const SCRIPT_VOCABULARY: StatusVocabulary = {
  frameFields: ['tp_status', 'tpStatus'],
  blockFields: ['block_status', 'blockStatus'],
  constantPrefix: 'TP_STATUS_',
  needles: [],
};

/** The bit a consumer owns a slot by: the test every fix writes. */
export const USER_BIT = 'TP_STATUS_USER';

/** TP_STATUS_* values from uapi `linux/if_packet.h`, whatever the language spelling them. */
/** RX meanings, and flag bits that ride along with TP_STATUS_USER. */
export const RX_STATUS_CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['TP_STATUS_KERNEL', 0],
  [USER_BIT, 1 << 0],
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

/** Which word a spelling means when nothing else says (a raw read's offset, an operand's name): the block's when it says so. */
export function wordNamedBy(text: string): RingWord {
  return /block/i.test(text) ? 'block' : 'frame';
}

/** The status fields of a vocabulary, frame and block. */
export function statusFields(vocabulary: StatusVocabulary): ReadonlySet<string> {
  return new Set([...vocabulary.frameFields, ...vocabulary.blockFields]);
}

/** Every spelling of the status word in any of `vocabularies`: what a file must name to matter at all. */
export function statusWordSpellings(vocabularies: readonly StatusVocabulary[]): string[] {
  const spellings = vocabularies.flatMap((vocabulary) => [
    ...vocabulary.frameFields,
    ...vocabulary.blockFields,
    vocabulary.constantPrefix,
  ]);
  return [...new Set(spellings)];
}
