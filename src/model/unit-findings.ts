/**
 * The stage every front end shares after evaluating one function (or a module's top level): its
 * ownership decisions, slot hand-backs and facts become findings, the same way in every language.
 * A front end says what its syntax decides (spans, whether a decision is its callers' to report,
 * the free-slot counting judgement, barriers); the rules' logic and the messages are here.
 */
import { ruleById } from '../rules/catalog.js';
import type { DecisionEvent, ReleaseEvent } from './evaluation-events.js';
import type { Finding, RelatedLocation, RuleId, Span } from './finding.js';
import {
  acquireMessage,
  maskPrecedenceMessage,
  ownershipMessage,
  releaseMessage,
  relatedLocation,
  relatedLocations,
  uncheckedAccessMessage,
  type MessageDialect,
} from './finding-messages.js';

export interface UnitEvaluation<Node> {
  /** The file findings are reported in. */
  path: string;
  dialect: MessageDialect;
  decisions: ReadonlyArray<DecisionEvent<Node>>;
  releases: ReadonlyArray<ReleaseEvent<Node>>;
  spanOf(node: Node): Span;
  /** A helper returning its decision: its callers report it, where they call it. */
  reportedByCallers(event: DecisionEvent<Node>): boolean;
  /** The "not KERNEL ⇒ not free" judgement (free-slot counting loops are right as they are). */
  freeSlotCountOnly(event: DecisionEvent<Node>): boolean;
  /** Reads frame contents, hands slots back, waits for the kernel, or passes a frame on. */
  touchesFrames: boolean;
  /** A barrier orders every status read of the unit. */
  readsOrdered: boolean;
  /** The hand-back is ordered: by the store itself, or a barrier before it. */
  releaseOrdered(release: ReleaseEvent<Node>): boolean;
  /** The first frame access no ownership test guards, for a front end that looks for one (RL008). */
  uncheckedAccess?: UncheckedFrameAccess<Node> | undefined;
}

export interface UncheckedFrameAccess<Node> {
  node: Node;
  kind: 'read' | 'hand-back';
  /** the readiness wait the function relies on instead, if any */
  wait: Node | undefined;
  /** the first unguarded hand-back, when `node` is a read */
  handBack: Node | undefined;
}

/** RL001–RL004 at each unsafe decision, RL005 once per unordered read that gates frame access, RL006 at each unordered hand-back, RL008 at an unguarded frame access. */
export function unitFindings<Node>(unit: UnitEvaluation<Node>): Finding[] {
  const findings: Finding[] = [];
  const readsReported = new Set<string>();
  for (const event of unit.decisions) {
    if (unit.reportedByCallers(event)) continue;
    const { ruleId } = event.decision;
    if (ruleId && !unit.freeSlotCountOnly(event)) findings.push(decisionFinding(unit, ruleId, event));
    const read = event.decision.tested.read;
    const readKey = `${read.file}:${read.line}:${read.column}`;
    if (!event.decision.tested.acquire && !unit.readsOrdered && unit.touchesFrames && !readsReported.has(readKey)) {
      readsReported.add(readKey);
      findings.push(acquireFinding(unit, event));
    }
  }
  for (const release of unit.releases) {
    if (!unit.releaseOrdered(release)) findings.push(releaseFinding(unit, release));
  }
  if (unit.uncheckedAccess) findings.push(uncheckedAccessFinding(unit, unit.uncheckedAccess));
  return findings;
}

/** A finding of `ruleId` at `span` of the file `path`, with its rule's severity. */
function finding(ruleId: RuleId, path: string, span: Span, message: string, related: RelatedLocation[]): Finding {
  return { ruleId, severity: ruleById(ruleId).severity, file: path, ...span, message, related };
}

function decisionFinding<Node>(unit: UnitEvaluation<Node>, ruleId: RuleId, event: DecisionEvent<Node>): Finding {
  const span = unit.spanOf(event.site);
  return {
    ...finding(ruleId, unit.path, span, ownershipMessage(ruleId, event.decision, unit.dialect), relatedLocations(event.decision, span, unit.path)),
    // A USER-bit test breaks no rule: the kinds here are those of the tests that do.
    kind: event.decision.test.kind === 'user-bit' ? 'finding' : event.decision.test.kind,
    ...(event.shape ? { decisionShape: event.shape } : {}),
  };
}

function acquireFinding<Node>(unit: UnitEvaluation<Node>, event: DecisionEvent<Node>): Finding {
  const read = event.decision.tested.read;
  const span = unit.spanOf(event.site);
  const readAtSite = read.file === unit.path && read.line === span.line;
  const related = [...event.decision.via.map(relatedLocation), ...(readAtSite ? [] : [relatedLocation(read)])];
  return finding('RL005', unit.path, span, acquireMessage(unit.dialect), related);
}

function releaseFinding<Node>(unit: UnitEvaluation<Node>, release: ReleaseEvent<Node>): Finding {
  return finding('RL006', unit.path, unit.spanOf(release.site), releaseMessage(unit.dialect), release.via.map(relatedLocation));
}

function uncheckedAccessFinding<Node>(unit: UnitEvaluation<Node>, access: UncheckedFrameAccess<Node>): Finding {
  const place = (node: Node, message: string) => {
    const { line, column } = unit.spanOf(node);
    return { file: unit.path, line, column, message };
  };
  return finding('RL008', unit.path, unit.spanOf(access.node), uncheckedAccessMessage(access.kind), [
    ...(access.wait ? [place(access.wait, 'waits for readiness here, which does not say which slot is ready')] : []),
    ...(access.handBack ? [place(access.handBack, 'and hands the slot back here')] : []),
  ]);
}

/** RL007 at `s & TP_STATUS_USER == 0` (`expression`), whose comparison is `operator`. */
export function maskPrecedenceFinding(path: string, span: Span, expression: string, operator: string): Finding {
  return finding('RL007', path, span, maskPrecedenceMessage(expression, operator), []);
}

/** Findings of one analysis, the first at each place and rule kept (a helper's finding met again through another path). */
export class FindingSet {
  private readonly byPlace = new Map<string, Finding>();

  add(finding: Finding): void {
    const key = `${finding.file}:${finding.line}:${finding.column}:${finding.ruleId}`;
    if (!this.byPlace.has(key)) this.byPlace.set(key, finding);
  }

  toArray(): Finding[] {
    return [...this.byPlace.values()];
  }
}
