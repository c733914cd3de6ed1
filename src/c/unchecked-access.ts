/**
 * RL008 (unchecked-frame-access): a consumer that reads an RX frame, or hands its slot back, with no
 * ownership test of a status word before it — one that takes the frame because poll() said the
 * socket is readable (EtherateMT's TPACKET_V2 receiver). Readable means that *some* frame is not
 * TP_STATUS_KERNEL; under the RFC an IN_PROGRESS slot makes the socket readable too.
 *
 * An access is guarded by an ownership decision of the same function (the evaluator's decisions,
 * right or wrong: the tests in helpers and macros are reported at their uses) when the decision
 * is in the condition of
 * - an `if`/`switch` that contains the access, or precedes it and leaves in a branch (`continue`,
 *   `break`, `return`, `goto`: "not mine: wait and try again");
 * - a loop that contains the access (`while (h->tp_status & TP_STATUS_USER) { … }`) or precedes it
 *   (`while (!ready(h)) poll(…);`);
 * or, outside any condition, precedes it. A test that guards nothing (`if (h->tp_status == …)
 * printf(…);` and on) does not count.
 *
 * Not reported, for precision: accesses through a slot pointer the function received as a
 * parameter (its caller is the one to test), accesses after a condition that hands the slot to a
 * function the analysis could not see into (a helper defined elsewhere may test it), functions
 * that are called in the scan and wait for nothing themselves (a frame handler called after its
 * caller's test), code fragments of documents (their test is elsewhere in the text), TX-only
 * functions, and producer code (skipped by the caller).
 */
import type { DecisionEvent, ReleaseEvent } from '../model/evaluation-events.js';
import { rootIdentifier, WAIT_CALLS, type FunctionFacts } from './function-facts.js';
import type { UncheckedFrameAccess } from '../model/unit-findings.js';
import type { SyntaxNode } from './parser.js';
import { callArguments, callName, liveDescendants } from './tree-walk.js';

export interface UncheckedAccessInput {
  body: SyntaxNode;
  facts: FunctionFacts;
  parameters: ReadonlySet<string>;
  hasCallers: boolean;
  decisions: readonly DecisionEvent<SyntaxNode>[];
  releases: readonly ReleaseEvent<SyntaxNode>[];
}

function contains(outer: SyntaxNode, inner: SyntaxNode): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

const CONDITIONAL = new Set(['if_statement', 'switch_statement', 'while_statement', 'for_statement', 'do_statement']);
const LEAVES = new Set(['continue_statement', 'break_statement', 'return_statement', 'goto_statement']);

/** The if/switch/loop whose condition (or, for a switch, case label) the decision is made in. */
function conditionOwner(site: SyntaxNode, body: SyntaxNode): SyntaxNode | undefined {
  for (let node = site.parent; node && node.id !== body.id; node = node.parent) {
    if (!CONDITIONAL.has(node.type)) continue;
    const condition = node.childForFieldName('condition');
    if (condition && contains(condition, site)) return node;
    if (node.type === 'switch_statement') return node; // `case TP_STATUS_KERNEL:` inside its body
  }
  return undefined;
}

function leavesInABranch(statement: SyntaxNode): boolean {
  for (const node of liveDescendants(statement)) {
    if (LEAVES.has(node.type)) return true;
    if (node.type === 'call_expression' && ['exit', '_exit', 'abort', 'longjmp', 'siglongjmp'].includes(callName(node) ?? '')) return true;
  }
  return false;
}

function guards(decision: SyntaxNode, access: SyntaxNode, body: SyntaxNode): boolean {
  const owner = conditionOwner(decision, body);
  if (!owner) return decision.endIndex <= access.startIndex;
  if (contains(owner, access)) return true;
  if (owner.endIndex > access.startIndex) return false;
  if (owner.type === 'if_statement' || owner.type === 'switch_statement') return leavesInABranch(owner);
  return true; // a loop that ends only once the test says the slot is ready
}

/** The slot pointer a hand-back stores through: the assignment's target, or the store call's first argument. */
function handBackTarget(site: SyntaxNode): SyntaxNode | undefined {
  if (site.type === 'assignment_expression') return site.childForFieldName('left') ?? undefined;
  if (site.type === 'call_expression') return callArguments(site)[0];
  return undefined;
}

/** A call in a condition that is handed a slot (`if (!slot_is_ready(desc))`), which a helper the scan cannot see may test. */
function mayTest(call: SyntaxNode, slotRoots: ReadonlySet<string>, body: SyntaxNode): boolean {
  if (WAIT_CALLS.has(callName(call) ?? '') || !conditionOwner(call, body)) return false;
  return callArguments(call).some((argument) => slotRoots.has(rootIdentifier(argument) ?? ''));
}

export function firstUncheckedAccess(input: UncheckedAccessInput): UncheckedFrameAccess<SyntaxNode> | undefined {
  const { body, parameters } = input;
  const { calls, wait, frameReads, slotRoots } = input.facts;
  // A handler its caller calls after testing: the caller decides, and it waits for nothing itself.
  if (input.hasCallers && !wait) return undefined;
  const own = (root: string | undefined) => root !== undefined && !parameters.has(root);
  // The evaluator's ownership decisions, and calls it could not see into that are handed a slot in a condition.
  const tests = [...input.decisions.map((event) => event.site), ...calls.filter((call) => mayTest(call, slotRoots, body))];
  const unguarded = (access: SyntaxNode) => !tests.some((test) => guards(test, access, body));
  const read = frameReads.find((node) => own(rootIdentifier(node.childForFieldName('argument'))) && unguarded(node));
  const handBack = input.releases.map((release) => release.site).find((site) => own(rootIdentifier(handBackTarget(site))) && unguarded(site));
  if (read) return { node: read, kind: 'read', wait, handBack: handBack && handBack.startIndex > read.startIndex ? handBack : undefined };
  if (handBack) return { node: handBack, kind: 'hand-back', wait, handBack: undefined };
  return undefined;
}
