/**
 * What findings and their related places say, shared by the C and TypeScript front ends: one
 * builder per rule. A message is a one-line headline that names the test as written and the fix;
 * why it matters is the rule's (`why` in the catalog, at length in its document).
 */
import type { RuleId, RuleIdIn } from '../rules/catalog.js';
import type { RelatedLocation, Span } from './finding.js';
import type { Decision, Origin, OwnershipTest } from './status-value.js';

/**
 * How messages spell a language's code: each language's row (src/languages/) has one, so a message
 * names the word and the ordered access the way code of that language writes them.
 */
export interface MessageDialect {
  /** The V3 block word, as RL004's messages name it (`block_status != 0`, `blockStatus !== 0`). */
  blockWord: string;
  /** RL005: what the plain read lacks, and the read to use instead. */
  unorderedRead: string;
  acquireFix: string;
  /** RL006: what the plain store lacks, and the store to use instead. */
  unorderedStore: string;
  releaseFix: string;
}

/** Headlines longer than this wrap in a terminal and widen ESLint's table for every plugin. */
export const MAX_HEADLINE_LENGTH = 100;

type OwnershipRule = RuleIdIn<'ownership'>;

const SUBJECT: Record<OwnershipRule, string> = {
  RL001: 'slot ownership',
  RL002: 'slot ownership',
  RL003: 'readiness',
  RL004: 'V3 block ownership',
};

const USER_BIT_FIX = 'test the TP_STATUS_USER bit';

/**
 * RL001–RL004: `slot ownership decided by != TP_STATUS_KERNEL in packet_mmap_acquire; test the
 * TP_STATUS_USER bit`. The macro or helper the test is made in is named when it fits.
 */
export function ownershipMessage(ruleId: RuleId, decision: Decision, dialect: MessageDialect): string {
  const rule = ruleId as OwnershipRule;
  const lead = `${SUBJECT[rule]} decided by ${testText(rule, decision.test, dialect)}`;
  // The macro or helper the test itself is made in: the last one the decision went through.
  const place = decision.via.findLast((origin) => origin.kind === 'macro' || origin.kind === 'helper');
  // `in packet_mmap_acquire`, `in ring_frame_ready()`: the first note says which kind it is.
  const route = place ? ` in ${definitionName(place)}` : '';
  const withRoute = `${lead}${route}; ${USER_BIT_FIX}`;
  return withRoute.length <= MAX_HEADLINE_LENGTH ? withRoute : `${lead}; ${USER_BIT_FIX}`;
}

/** RL005: `status read without acquire ordering gates frame access; use __atomic_load_n(…, __ATOMIC_ACQUIRE)`. */
export function acquireMessage(dialect: MessageDialect): string {
  return `status read ${dialect.unorderedRead} gates frame access; ${dialect.acquireFix}`;
}

/** RL006: `slot handed back without release ordering; use __atomic_store_n(…, __ATOMIC_RELEASE)`. */
export function releaseMessage(dialect: MessageDialect): string {
  return `slot handed back ${dialect.unorderedStore}; ${dialect.releaseFix}`;
}

/** RL007: `` `==` binds tighter than `&` in `s & TP_STATUS_USER == 0`; parenthesise the mask ``. */
export function maskPrecedenceMessage(expression: string, operator: string): string {
  const before = `\`${operator}\` binds tighter than \`&\` in \``;
  const after = '`; parenthesise the mask';
  return `${before}${clipMiddle(expression.replace(/\s+/g, ' ').trim(), MAX_HEADLINE_LENGTH - before.length - after.length)}${after}`;
}

/** RL008: a frame read, or a slot handed back, that no ownership test of its status word guards. */
export function uncheckedAccessMessage(kind: 'read' | 'hand-back'): string {
  return kind === 'read'
    ? 'frame read with no ownership test of its slot; test the TP_STATUS_USER bit first'
    : 'slot handed back with no ownership test of its status word; test the TP_STATUS_USER bit first';
}

// ---- related places -----------------------------------------------------------------------------

/** gcc's words for the place a macro is defined, as seen from a use. */
export function macroOrigin(at: Omit<Origin, 'message' | 'kind' | 'name'>, name: string): Origin {
  return { ...at, kind: 'macro', name, message: `in expansion of macro ${name}` };
}

export function helperOrigin(at: Omit<Origin, 'message' | 'kind' | 'name'>, name: string): Origin {
  return { ...at, kind: 'helper', name, message: `in helper ${name}()` };
}

/** The test inside a macro or helper: where its fix goes. */
export function testOrigin(at: Omit<Origin, 'message' | 'kind' | 'name'>, test: OwnershipTest): Origin {
  return { ...at, kind: 'test', message: `decided here: ${testText(undefined, test, undefined)}` };
}

export function readOrigin(at: Omit<Origin, 'message' | 'kind' | 'name'>, message: string): Origin {
  return { ...at, kind: 'read', message };
}

export function relatedLocation(origin: Origin): RelatedLocation {
  return { file: origin.file, line: origin.line, column: origin.column, message: origin.message, kind: origin.kind };
}

/** The macro or helper definitions, the decision inside them, and the status read — unless the read is the site itself. */
export function relatedLocations(decision: Decision, site: Span, siteFile: string): RelatedLocation[] {
  const locations: RelatedLocation[] = [];
  const add = (origin: Origin): void => {
    if (!locations.some((location) => location.file === origin.file && location.line === origin.line && location.column === origin.column)) {
      locations.push(relatedLocation(origin));
    }
  };
  for (const origin of [...decision.via, ...decision.tested.via]) add(origin);
  const read = decision.tested.read;
  const readInSite =
    read.file === siteFile &&
    (read.line > site.line || (read.line === site.line && read.column >= site.column)) &&
    (read.line < site.endLine || (read.line === site.endLine && read.column < site.endColumn));
  if (!readInSite) add(read);
  return locations;
}

// ---- wording ------------------------------------------------------------------------------------

/** `!= TP_STATUS_KERNEL`, `exact == TP_STATUS_USER`, `block_status !== 0`, `switch case 0`, a truth test. */
function testText(rule: OwnershipRule | undefined, test: OwnershipTest, dialect: MessageDialect | undefined): string {
  const word = rule === 'RL004' ? dialect?.blockWord : undefined;
  switch (test.kind) {
    case 'comparison': {
      const constant = clipMiddle(test.constant, 40);
      if (rule === 'RL003') return `exact ${test.operator} ${constant}`;
      return word ? `${word} ${test.operator} ${constant}` : `${test.operator} ${constant}`;
    }
    case 'case':
      return `switch case ${clipMiddle(test.constant, 40)}`;
    case 'truth':
      return `a truth test of ${word ?? 'the status word'}`;
    case 'user-bit':
      return 'a TP_STATUS_USER bit test';
  }
}

function definitionName(origin: Origin): string {
  const name = clipMiddle(origin.name ?? '', 40);
  return origin.kind === 'helper' ? `${name}()` : name;
}

/** Long spellings (generated names, minified code) are cut in the middle: both ends tell most. */
function clipMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = Math.max(2, max - 1);
  const head = Math.ceil(keep / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}
