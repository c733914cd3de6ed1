/**
 * Turning a test on a status value into an ownership decision. Language-neutral: the C and
 * TypeScript front ends both call these with values from the status-word model.
 */
import type { RuleId } from './finding.js';
import type { Decision, OwnershipTest, StatusConstant, StatusProvenance, StatusValue } from './status-value.js';

export const TP_STATUS_KERNEL = 0;
export const TP_STATUS_USER = 1;

function unsafeOwnershipRule(word: StatusProvenance['word']): RuleId {
  return word === 'block' ? 'RL004' : 'RL001';
}

function truthinessRule(word: StatusProvenance['word']): RuleId {
  return word === 'block' ? 'RL004' : 'RL002';
}

/** `value ==/!= constant`. Returns undefined when the test is not an ownership test at all. */
export function equalityDecision(
  value: StatusValue,
  constant: StatusConstant,
  operator: '==' | '!=' | '===' | '!==' | 'case',
  txContext: boolean,
): Decision | undefined {
  if (value.kind === 'decision') return undefined;
  if (constant.tx || (txContext && value.kind === 'word')) return undefined;
  const tested: StatusProvenance = value;
  if (value.kind === 'user-bit') {
    if (constant.value === TP_STATUS_KERNEL || constant.value === TP_STATUS_USER) {
      return { ruleId: null, tested, test: { kind: 'user-bit' }, via: [] };
    }
    return undefined;
  }
  const test: OwnershipTest =
    operator === 'case' ? { kind: 'case', constant: constant.spelling } : { kind: 'comparison', operator, constant: constant.spelling };
  if (constant.value === TP_STATUS_KERNEL) return { ruleId: unsafeOwnershipRule(value.word), tested, test, via: [] };
  if (constant.value === TP_STATUS_USER) return { ruleId: 'RL003', tested, test, via: [] };
  return undefined;
}

/** The value used as a condition (`if (s)`, `!s`, `s ? :`, `s && …`). */
export function truthinessDecision(value: StatusValue, txContext: boolean): Decision | undefined {
  if (value.kind === 'decision') return undefined;
  if (value.kind === 'user-bit') {
    return { ruleId: null, tested: value, test: { kind: 'user-bit' }, via: [] };
  }
  if (txContext) return undefined;
  return { ruleId: truthinessRule(value.word), tested: value, test: { kind: 'truth' }, via: [] };
}

/** What a mask applied to the whole status word leaves of it. */
export type MaskEffect = 'user-bit' | 'keeps-user-bit' | 'flags-only' | 'unknown';

/** `word & mask`, for a mask whose value is known (complemented masks pass `complemented`). */
export function maskEffect(mask: number | undefined, complemented: boolean): MaskEffect {
  if (mask === undefined) return 'unknown';
  // ~X keeps the USER bit when X does not contain it: application bits are being stripped.
  if (complemented) return (mask & TP_STATUS_USER) === 0 ? 'keeps-user-bit' : 'flags-only';
  if (mask === TP_STATUS_USER) return 'user-bit';
  // A mask with USER and other bits set is not a clean test either way; stay silent.
  return (mask & TP_STATUS_USER) === 0 ? 'flags-only' : 'unknown';
}
