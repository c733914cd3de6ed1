/**
 * How an ownership test is spelled and where it sits, as a front end saw it. Fixes are computed from
 * this and the file's text alone, so any front end that fills it in gets `--fix` for free.
 */

/** Which mechanical rewrite applies; `switch-case` has none (the cases have to be restructured). */
export type DecisionForm =
  | 'kernel-inequality'
  | 'kernel-equality'
  | 'user-equality'
  | 'user-inequality'
  | 'truthy'
  | 'switch-case';

/** A stretch of a file: 1-based lines, 1-based columns counted as the front end counts them, end exclusive. */
export interface SourceRange {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** `column`/`endColumn` count UTF-8 bytes rather than UTF-16 code units (both front ends count units). */
  columnsInBytes: boolean;
}

export interface DecisionShape {
  form: DecisionForm;
  /** The whole test: `s != TP_STATUS_KERNEL`, or the condition `(s)` / operand `s` of a truth test. */
  test: SourceRange;
  /** The status operand as written, e.g. `__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE)`. */
  operand: SourceRange;
  /** The operand binds looser than `&` (`a | b`, `c ? x : y`, `s = …`) and must be parenthesised. */
  operandNeedsParentheses: boolean;
  /**
   * How the file names the USER bit where the test is (`TpStatus.USER`, an imported
   * `TP_STATUS_USER`); `TP_STATUS_USER`, C's macro, when absent.
   */
  userBit?: string;
  /** The language compares with `!==`/`===` (JavaScript, TypeScript). */
  strictEquality?: boolean;
  /**
   * The operand may be `undefined` or `null` (`frame?.tpStatus`): the bit test reads
   * `(frame?.tpStatus ?? 0) & USER`, the same value in JavaScript and accepted by TypeScript.
   */
  operandMayBeNullish?: boolean;
}

/** Which rewrite a comparison with KERNEL (0) or USER (1) takes. */
export function comparisonForm(constantValue: number, negated: boolean): DecisionForm {
  if (constantValue === 0) return negated ? 'kernel-inequality' : 'kernel-equality';
  return negated ? 'user-inequality' : 'user-equality';
}
