/**
 * Turning a test on a status value into an ownership decision. Language-neutral: the C and
 * TypeScript front ends both call these with values from the status-word model.
 */
import type { Decision, OwnershipTest, StatusConstant, StatusValue } from './status-value.js';

export const TP_STATUS_KERNEL = 0;
export const TP_STATUS_USER = 1;

/** `value ==/!= constant`. Returns undefined when the test is not an ownership test at all. */
export function equalityDecision(
  value: StatusValue,
  constant: StatusConstant,
  operator: '==' | '!=' | '===' | '!==' | 'case',
  txContext: boolean,
): Decision | undefined {
  if (value.kind === 'decision') return undefined;
  if (constant.tx || (txContext && value.kind === 'word')) return undefined;
  if (value.kind === 'user-bit') {
    if (constant.value === TP_STATUS_KERNEL || constant.value === TP_STATUS_USER) {
      return { ruleId: null, tested: value, test: { kind: 'user-bit' }, via: [] };
    }
    return undefined;
  }
  const test: OwnershipTest =
    operator === 'case' ? { kind: 'case', constant: constant.spelling } : { kind: 'comparison', operator, constant: constant.spelling };
  if (constant.value === TP_STATUS_KERNEL) return { ruleId: value.word === 'block' ? 'RL004' : 'RL001', tested: value, test, via: [] };
  if (constant.value === TP_STATUS_USER) return { ruleId: 'RL003', tested: value, test, via: [] };
  return undefined;
}

/** The value used as a condition (`if (s)`, `!s`, `s ? :`, `s && …`). */
export function truthinessDecision(value: StatusValue, txContext: boolean): Decision | undefined {
  if (value.kind === 'decision') return undefined;
  if (value.kind === 'user-bit') {
    return { ruleId: null, tested: value, test: { kind: 'user-bit' }, via: [] };
  }
  if (txContext) return undefined;
  return { ruleId: value.word === 'block' ? 'RL004' : 'RL002', tested: value, test: { kind: 'truth' }, via: [] };
}

/**
 * `a == b`: which side is the status value and which the constant it is compared with. With no
 * status value on either side (a documentation fragment, a value from an opaque call), an operand
 * compared with a constant is what `inferredWord` makes of it.
 */
export function comparedOperands<Node, Constant extends StatusConstant>(
  a: StatusValue | undefined, b: StatusValue | undefined, left: Node, right: Node,
  constantOf: (node: Node) => Constant | undefined, inferredWord: (operand: Node, constant: Constant) => StatusValue | undefined,
): { value: StatusValue; constant: Constant; operand: Node; compared: Node } | undefined {
  if (a && a.kind !== 'decision') {
    const constant = constantOf(right);
    return constant && { value: a, constant, operand: left, compared: right };
  }
  if (b && b.kind !== 'decision') {
    const constant = constantOf(left);
    return constant && { value: b, constant, operand: right, compared: left };
  }
  if (a || b) return undefined;
  const rightConstant = constantOf(right);
  const [constant, operand, compared] = rightConstant ? [rightConstant, left, right] : [constantOf(left), right, left];
  const value = constant && inferredWord(operand, constant);
  return value && constant && { value, constant, operand, compared };
}

/** `s != KERNEL` and `s == USER` are true when the slot looks user-owned. */
export function looksOwnedWhenTrue(constant: StatusConstant, negated: boolean): boolean {
  return (constant.value === TP_STATUS_KERNEL) === negated;
}

/** `a & b` where one side holds the whole status word: what the mask on the other side leaves of it. */
export function maskedValue(
  a: StatusValue | undefined, b: StatusValue | undefined, effectOfMask: (maskOnRight: boolean) => MaskEffect,
): StatusValue | undefined {
  const word = a && a.kind === 'word' ? a : b && b.kind === 'word' ? b : undefined;
  if (!word) return undefined;
  const effect = effectOfMask(word === a);
  if (effect === 'user-bit') return { ...word, kind: 'user-bit' };
  return effect === 'keeps-user-bit' ? word : undefined;
}

/** Storing `constant` in the status word hands the slot back: TP_STATUS_KERNEL, outside TX-ring code. */
export function handsBack(constant: StatusConstant | undefined, txContext: boolean): constant is StatusConstant {
  return constant !== undefined && constant.value === TP_STATUS_KERNEL && !constant.tx && !txContext;
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
