/**
 * What a helper function means to its callers, shared by the C and TypeScript evaluators: the
 * decisions whose result it returns and the status value it returns. Without status arguments a
 * helper means the same at every call, so it is summarised once and replayed at each call site.
 */
import type { Decision, Origin, StatusValue } from './status-value.js';

export interface HelperSummary<Event extends { decision: Decision }> {
  /** Decisions whose result the helper returns, sited at the helper until a caller re-sites them. */
  decisions: Event[];
  returned: StatusValue | undefined;
}

/**
 * Replays summaries at a call: each decision is re-sited at `site` behind the caller's `via`, and
 * the joined return value is what the call evaluates to.
 */
export function replaySummaries<Site, Event extends { decision: Decision; site: Site }>(
  summaries: readonly HelperSummary<Event>[],
  via: readonly Origin[],
  site: Site,
  emit: (event: Event) => void,
): StatusValue | undefined {
  let result: StatusValue | undefined;
  for (const summary of summaries) {
    for (const event of summary.decisions) {
      emit({ ...event, decision: { ...event.decision, via: [...via, ...event.decision.via] }, site });
    }
    result = joinValues(result, summary.returned);
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
