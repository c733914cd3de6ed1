/**
 * What the C and TypeScript evaluators do the same way whatever the syntax: the state they carry
 * through one function (a frame), its nesting limit, binding locals and returns, reporting decisions
 * and hand-backs, and evaluating a body twice silently before reporting. A front end extends the
 * frame with what its syntax needs and walks its own nodes.
 */
import { testOrigin } from './finding-messages.js';
import { SILENT_SINK, type EvaluationSink } from './evaluation-events.js';
import type { DecisionShape } from './decision-shape.js';
import type { Decision, Origin, RingWord, StatusValue } from './status-value.js';

/** Deeper than this, an expression is generated code; we report it instead of overflowing the stack. */
export const MAX_NESTING = 400;

export class NestingTooDeep<Node> extends Error {
  constructor(readonly node: Node) {
    super(`nesting deeper than ${MAX_NESTING} levels`);
  }
}

/** Where an origin points: the start of a node. */
export type Place = Pick<Origin, 'file' | 'line' | 'column'>;

export interface EvaluationFrame<Node> {
  env: Map<string, StatusValue>;
  /** Macro or helper parameters bound to the caller's argument values. */
  bindings: Map<string, StatusValue | undefined> | undefined;
  /** The call in the analysed function that this frame expands. */
  site: Node | undefined;
  via: Origin[];
  depth: number;
  sink: EvaluationSink<Node>;
  txOnly: boolean;
  /** Inside a helper, only what flows to `return` reaches the caller. */
  helperReturnsOnly: boolean;
  inReturn: boolean;
  returned: StatusValue[];
}

/** The frame of the function analysed (or a helper summarised as if it were). */
export function topFrame<Node>(env: Map<string, StatusValue>, sink: EvaluationSink<Node>, txOnly: boolean): EvaluationFrame<Node> {
  return { env, bindings: undefined, site: undefined, via: [], depth: 0, sink, txOnly, helperReturnsOnly: false, inReturn: false, returned: [] };
}

/** The frame of a macro or helper expanded at `call`, its parameters bound to the caller's values. */
export function nestedFrame<Node>(
  frame: EvaluationFrame<Node>, call: Node, bindings: Map<string, StatusValue | undefined>, origin: Origin, helper: boolean,
  env = new Map<string, StatusValue>(), sink = frame.sink,
): EvaluationFrame<Node> {
  return {
    env, bindings, site: frame.site ?? call, via: [...frame.via, origin], depth: frame.depth,
    sink, txOnly: frame.txOnly, helperReturnsOnly: helper, inReturn: false, returned: [],
  };
}

/** Parameters (unnamed ones `undefined`) bound to the values of a call's arguments. */
export function bindArguments(params: readonly (string | undefined)[], argValues: readonly (StatusValue | undefined)[]): Map<string, StatusValue | undefined> {
  const bindings = new Map<string, StatusValue | undefined>();
  params.forEach((param, index) => {
    if (param) bindings.set(param, argValues[index]);
  });
  return bindings;
}

/**
 * Evaluates a body as every function and inlined helper is: twice silently first, so that copies of
 * copies of the status word are in the locals wherever they are used, then reporting to `sink`.
 * Returns the reporting pass's frame.
 */
export function evaluateBody<Node, Frame extends EvaluationFrame<Node>>(
  frameFor: (sink: EvaluationSink<Node>) => Frame, sink: EvaluationSink<Node>, walk: (frame: Frame) => void,
): Frame {
  for (let pass = 0; pass < 2; pass++) walk(frameFor(SILENT_SINK));
  const frame = frameFor(sink);
  walk(frame);
  return frame;
}

/** One level deeper into `node`: called before evaluating it, `frame.depth` taken back after. */
export function enter<Node>(node: Node, frame: EvaluationFrame<Node>): void {
  frame.depth++;
  if (frame.depth > MAX_NESTING) throw new NestingTooDeep(node);
}

/** Flow-insensitive on purpose: a variable that ever holds the status word is the status word. */
export function bindLocal(name: string, value: StatusValue | undefined, frame: EvaluationFrame<unknown>): void {
  if (value && value.kind !== 'decision' && !frame.env.has(name)) frame.env.set(name, value);
}

/** A `return`: what `evaluate` gives is what the function returns, and decisions made in it reach its callers. */
export function evaluateReturn(frame: EvaluationFrame<unknown>, evaluate: () => StatusValue | undefined): void {
  const wasInReturn = frame.inReturn;
  frame.inReturn = true;
  const result = evaluate();
  frame.inReturn = wasInReturn;
  if (result) frame.returned.push(result);
}

/**
 * Reports a decision made at `node` (at the call being expanded, with the test inside it as a
 * related place, `place()`), unless it is a helper's own; the value is the decision.
 */
export function recordDecision<Node>(
  decision: Decision, node: Node, place: () => Place, frame: EvaluationFrame<Node>, notKernelWhenTrue: boolean | undefined, shape?: DecisionShape,
): StatusValue {
  if (!frame.helperReturnsOnly || frame.inReturn) {
    const inner = frame.site ? [testOrigin(place(), decision.test)] : [];
    frame.sink.decision({
      decision: { ...decision, via: [...frame.via, ...inner] },
      site: frame.site ?? node,
      notKernelWhenTrue,
      ...(shape ? { shape } : {}),
    });
  }
  return { kind: 'decision', decision };
}

/** Reports a slot handed back at `site` (at the call being expanded), unless inside a helper. */
export function recordRelease<Node>(site: Node, word: RingWord, ordered: boolean, frame: EvaluationFrame<Node>): void {
  if (frame.helperReturnsOnly) return;
  frame.sink.release({ site: frame.site ?? site, word, ordered, via: [...frame.via] });
}
