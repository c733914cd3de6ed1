/**
 * The status-word model shared by the C and TypeScript front ends: what an expression is known to
 * hold with respect to a ring slot's status word. Front ends compute these values; the ownership
 * module turns tests on them into decisions.
 */
import type { PlaceKind, RelatedLocation, RuleId } from './finding.js';

/** Which status word: a V1/V2 frame's `tp_status`, a V3 block's `block_status`, or either. */
export type RingWord = 'frame' | 'block' | 'either';

/** A place in source code that a finding can point back to. */
export interface Origin extends Pick<RelatedLocation, 'file' | 'line' | 'column' | 'message'> {
  kind: Exclude<PlaceKind, 'use'>;
  /** The macro's or helper's name, for `macro` and `helper` places. */
  name?: string;
}

export interface StatusProvenance {
  word: RingWord;
  /** Where the status word was read. */
  read: Origin;
  /** Macros and helpers the value travelled through, outermost last. */
  via: Origin[];
  /** True when the read has acquire (or stronger) ordering. */
  acquire: boolean;
}

/**
 * What a status-carrying expression holds:
 * - `word`: the whole status word (possibly with application bits masked off, USER bit kept);
 * - `user-bit`: the word masked down to TP_STATUS_USER — testing it is the right ownership test;
 * - `decision`: the boolean result of an ownership decision made inside a macro or helper.
 */
export type StatusValue =
  | ({ kind: 'word' | 'user-bit' } & StatusProvenance)
  | { kind: 'decision'; decision: Decision };

/** One ownership test: where it is, what it tested, and which rule (if any) it breaks. */
export interface Decision {
  /** null for a correct USER-bit test; such decisions still matter for ordering rules. */
  ruleId: RuleId | null;
  tested: StatusProvenance;
  /** The test as written, for messages. */
  test: OwnershipTest;
  /** The macro or helper (and its inner decision) the decision was made in, outermost last. */
  via: Origin[];
}

/** An ownership test as written: `!= TP_STATUS_KERNEL`, `case 0:`, a truth test, a USER-bit test. */
export type OwnershipTest =
  | { kind: 'comparison'; operator: '==' | '!=' | '===' | '!=='; constant: string }
  | { kind: 'case'; constant: string }
  | { kind: 'truth' }
  | { kind: 'user-bit' };

/** A constant the status word may be compared with, resolved to its value and its meaning. */
export interface StatusConstant {
  value: number;
  /** The spelling in the source, for messages and fixes. */
  spelling: string;
  /** TX-ring meanings (AVAILABLE, SEND_REQUEST, …): comparing with these is right on a TX ring. */
  tx: boolean;
  /**
   * A C++ scoped enumerator (`enum class SlotState { Kernel }`): what is compared with it is of that
   * type, which `& TP_STATUS_USER` cannot take, so no mechanical fix is offered.
   */
  scoped?: boolean;
}
