/**
 * What an evaluator reports while it walks one function, whatever the language: the front ends
 * instantiate these with their own syntax node type.
 */
import type { DecisionShape } from './decision-shape.js';
import type { Decision, Origin, RingWord } from './status-value.js';

export interface DecisionEvent<Node> {
  decision: Decision;
  /** The node in the analysed function where the decision is made or invoked. */
  site: Node;
  /** Whether a true result means "not TP_STATUS_KERNEL" (for the free-slot counting judgement). */
  notKernelWhenTrue: boolean | undefined;
  /**
   * How the test is spelled and where (inside the macro or helper when it is made there), for
   * fixes; absent when the front end cannot say (TS switch cases made through helpers).
   */
  shape?: DecisionShape;
}

/** A slot handed back to the kernel. */
export interface ReleaseEvent<Node> {
  site: Node;
  word: RingWord;
  /** The store itself has release ordering (in JS: an `Atomics` store, or a setter that uses one). */
  ordered: boolean;
  via: Origin[];
}

export interface EvaluationSink<Node> {
  decision(event: DecisionEvent<Node>): void;
  release(event: ReleaseEvent<Node>): void;
}

/** For evaluations that only want values (helper summaries). */
export const SILENT_SINK: EvaluationSink<never> = { decision: () => undefined, release: () => undefined };
