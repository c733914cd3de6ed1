/** What a function does besides testing the status word: the context a decision is judged in. */
import type { SyntaxNode } from './parser.js';
import { C_VOCABULARY, RX_STATUS_CONSTANTS, statusFields, TX_STATUS_CONSTANTS } from '../model/status-vocabulary.js';
import type { CFamilySyntax } from './family-syntax.js';
import { callArguments, callName, liveDescendants, memberCallOf, unwrap } from './tree-walk.js';

export type FunctionFacts = ReturnType<typeof collectFunctionFacts>;

export const STATUS_FIELDS: ReadonlySet<string> = statusFields(C_VOCABULARY);

/** Header fields other than the status word: reading them means consuming the slot. */
export const FRAME_FIELDS: ReadonlySet<string> = new Set([
  'tp_len', 'tp_snaplen', 'tp_mac', 'tp_net', 'tp_sec', 'tp_usec', 'tp_nsec', 'tp_vlan_tci',
  'tp_vlan_tpid', 'tp_next_offset', 'tp_rxhash', 'tp_padding', 'hv1', 'offset_to_first_pkt',
  'num_pkts', 'blk_len', 'seq_num', 'ts_first_pkt', 'ts_last_pkt',
]);

export const WAIT_CALLS: ReadonlySet<string> = new Set([
  'poll', 'ppoll', 'select', 'pselect', 'epoll_wait', 'epoll_pwait', 'epoll_pwait2', 'usleep',
  'nanosleep', 'clock_nanosleep', 'sched_yield', 'pause',
]);

/** Barriers that order the consumer's loads. Write barriers (smp_wmb, wmb) do not, so they are absent. */
export const BARRIER_CALLS: ReadonlySet<string> = new Set([
  '__sync_synchronize', '__atomic_thread_fence', 'atomic_thread_fence', 'smp_rmb', 'smp_mb', 'rmb',
  'mb', 'smp_mb__before_atomic', 'smp_mb__after_atomic', 'virt_rmb', 'virt_mb', 'dma_rmb',
  '_mm_mfence', '_mm_lfence', '__dmb', 'MemoryBarrier',
]);

/** The variable a slot pointer expression is rooted in: `h` for `h.h2->tp_status`, `&h->tp_status`, `h[i]`. */
export function rootIdentifier(node: SyntaxNode | null | undefined): string | undefined {
  if (!node) return undefined;
  let current = unwrap(node);
  while (current.type === 'field_expression' || current.type === 'subscript_expression' || current.type === 'pointer_expression') {
    const argument = current.childForFieldName('argument');
    if (!argument) return undefined;
    current = unwrap(argument);
  }
  if (current.type === 'identifier') return current.text;
  return current.type === 'this' ? 'this' : undefined;
}

/** `h->tp_status` or `&h->tp_status`: handing the status word itself to a load or store. */
export function isStatusAccess(expression: SyntaxNode): boolean {
  let node = unwrap(expression);
  if (node.type === 'pointer_expression') node = unwrap(node.childForFieldName('argument') ?? node);
  return node.type === 'field_expression' && STATUS_FIELDS.has(node.childForFieldName('field')?.text ?? '');
}

export function collectFunctionFacts(body: SyntaxNode, syntax: CFamilySyntax) {
  /** Start offsets of memory barriers, in source order. */
  const barriers: number[] = [];
  // Mentions only TX-ring status meanings (txOnly): `== 0` there means TP_STATUS_AVAILABLE.
  let mentionsTx = false;
  let mentionsRx = false;
  /** Reads frame contents, hands slots back, waits for the kernel, or passes a frame on. */
  let touchesFrames = false;
  /** The first call of C's waits for the kernel (poll, usleep, …). */
  let wait: SyntaxNode | undefined;
  /** The variables status words and frame reads are reached through (`h` of `h->tp_status`). */
  const slotRoots = new Set<string>();
  /** Every live call, in source order. */
  const calls: SyntaxNode[] = [];
  /** Reads of a frame field (`h->tp_mac`, `h->tp_len`), not stores into one, in source order. */
  const frameReads: SyntaxNode[] = [];
  const returns: SyntaxNode[] = [];

  for (const node of liveDescendants(body)) {
    switch (node.type) {
      case 'identifier':
        if (TX_STATUS_CONSTANTS.has(node.text) || node.text === 'PACKET_TX_RING') mentionsTx = true;
        else if (RX_STATUS_CONSTANTS.has(node.text) || node.text === 'PACKET_RX_RING') mentionsRx = true;
        break;
      case 'field_expression': {
        const field = node.childForFieldName('field')?.text ?? '';
        const argument = node.childForFieldName('argument');
        const isFrameRead = FRAME_FIELDS.has(field) && !isAssignedTo(node);
        if (FRAME_FIELDS.has(field)) touchesFrames = true;
        if (isFrameRead) frameReads.push(node);
        if ((STATUS_FIELDS.has(field) || isFrameRead) && argument) {
          const root = rootIdentifier(argument);
          if (root) slotRoots.add(root);
        }
        break;
      }
      case 'assignment_expression': {
        const left = node.childForFieldName('left');
        if (left && isStatusAccess(left)) touchesFrames = true;
        break;
      }
      case 'call_expression': {
        const name = callName(node) ?? '';
        if (BARRIER_CALLS.has(name)) barriers.push(node.startIndex);
        if (WAIT_CALLS.has(name)) wait ??= node;
        if (WAIT_CALLS.has(name) || syntax.waitCalls.has(name)) touchesFrames = true;
        // C++'s `word.store(TP_STATUS_KERNEL, …)` hands the slot back, as an assignment does.
        const member = syntax.memberFunctions ? memberCallOf(node) : undefined;
        if (member && syntax.memberStores.has(member.name) && [...STATUS_FIELDS].some((field) => member.receiver.text.includes(field))) touchesFrames = true;
        calls.push(node);
        break;
      }
      case 'gnu_asm_expression':
        // `asm volatile("" ::: "memory")`: a compiler barrier.
        if (node.childForFieldName('clobbers')?.text.includes('"memory"')) barriers.push(node.startIndex);
        break;
      case 'return_statement':
        returns.push(node);
        break;
    }
  }
  // Passing the slot on (to a handler, a release macro, the caller) consumes it too. (A frame read's
  // root is among the slot roots, but a frame read has already set touchesFrames.)
  const passesSlot = (expression: SyntaxNode | null | undefined): boolean => {
    if (!expression || isStatusAccess(expression)) return false;
    const root = rootIdentifier(expression);
    return root !== undefined && slotRoots.has(root);
  };
  if (!touchesFrames) {
    touchesFrames =
      calls.some((call) => callArguments(call).some((argument) => passesSlot(argument))) ||
      returns.some((statement) => passesSlot(statement.namedChild(0)));
  }
  return { barriers, txOnly: mentionsTx && !mentionsRx, touchesFrames, calls, wait, frameReads, slotRoots };
}

function isAssignedTo(node: SyntaxNode): boolean {
  const parent = node.parent;
  return parent?.type === 'assignment_expression' && parent.childForFieldName('left')?.id === node.id;
}
