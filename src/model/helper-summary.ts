/**
 * What a helper function means to its callers, shared by the C and TypeScript evaluators: the
 * decisions whose result it returns and the status value it returns. Without status arguments a
 * helper means the same at every call, so it is summarised once and replayed at each call site;
 * with them, it is inlined with the arguments bound.
 */
import type { DecisionEvent, EvaluationSink } from './evaluation-events.js';
import type { EvaluationFrame } from './evaluation-frame.js';
import type { StatusValue } from './status-value.js';

/** Deeper than this, helpers calling helpers are not followed. */
const MAX_HELPER_DEPTH = 8;

export interface HelperSummary<Node> {
  /** Decisions whose result the helper returns, sited at the helper until a caller re-sites them. */
  decisions: DecisionEvent<Node>[];
  returned: StatusValue | undefined;
}

export class HelperSummaries<Helper, Node> {
  private readonly byHelper = new Map<Helper, HelperSummary<Node>>();

  /** `evaluate` evaluates a helper called without arguments, reporting its decisions to `sink`. */
  constructor(private readonly evaluate: (helper: Helper, sink: EvaluationSink<Node>) => StatusValue | undefined) {}

  of(helper: Helper): HelperSummary<Node> {
    const cached = this.byHelper.get(helper);
    if (cached) return cached;
    const summary: HelperSummary<Node> = { decisions: [], returned: undefined };
    this.byHelper.set(helper, summary); // recursion sees an empty summary
    summary.returned = this.evaluate(helper, { decision: (event) => summary.decisions.push(event), release: () => undefined });
    return summary;
  }

  /**
   * A call of `helpers` without status arguments: each decision is re-sited at the call behind the
   * caller's `via`, and the joined return value is what the call evaluates to.
   */
  replay(helpers: readonly Helper[], call: Node, frame: EvaluationFrame<Node>): StatusValue | undefined {
    let result: StatusValue | undefined;
    for (const helper of helpers) {
      const summary = this.of(helper);
      for (const event of summary.decisions) {
        frame.sink.decision({ ...event, decision: { ...event.decision, via: [...frame.via, ...event.decision.via] }, site: frame.site ?? call });
      }
      result = joinValues(result, summary.returned);
    }
    return result;
  }
}

/**
 * Inlines each of `helpers` that is not already being inlined (`active`, by `keyOf`), `limited` to
 * MAX_HELPER_DEPTH of them at once: the values `inline` says each returns, joined in order.
 */
export function inlineEach<Helper, Key>(
  helpers: readonly Helper[], active: Set<Key>, keyOf: (helper: Helper) => Key, limited: boolean,
  inline: (helper: Helper) => readonly (StatusValue | undefined)[],
): StatusValue | undefined {
  let result: StatusValue | undefined;
  for (const helper of helpers) {
    const key = keyOf(helper);
    if (active.has(key) || (limited && active.size >= MAX_HELPER_DEPTH)) continue;
    active.add(key);
    try {
      for (const returned of inline(helper)) result = joinValues(result, returned);
    } finally {
      active.delete(key);
    }
  }
  return result;
}

/** Two possible values of one expression: a frame word and a block word join to either. */
export function joinValues(a: StatusValue | undefined, b: StatusValue | undefined): StatusValue | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.kind !== 'decision' && b.kind === a.kind && a.word !== b.word) return { ...a, word: 'either' };
  return a;
}
