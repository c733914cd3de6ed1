/**
 * The context a TypeScript/JavaScript ownership decision is judged in, as for C: whether the
 * function is TX-ring code, and whether it consumes slots (reads frame contents, hands slots back,
 * waits for the kernel, passes the slot on) — the difference between a consumer and a loop that
 * merely counts free slots.
 */
import type { ts } from 'ts-morph';
import type { TypeScriptApi } from './typescript-api.js';
import { RX_STATUS_CONSTANTS, SCRIPT_VOCABULARY, statusFields, TX_STATUS_CONSTANTS } from '../model/status-vocabulary.js';
import { bindingRoot, calleeName, isFunctionLike } from './function-units.js';
import { hasIdentifier, isMemoryAccessCall, isPointerRead, isStatusName, mentionsStatus } from './status-reads.js';

export interface FunctionFacts {
  /** Mentions only TX-ring status meanings: `=== 0` there means TP_STATUS_AVAILABLE. */
  txOnly: boolean;
  /** Reads frame contents, hands slots back, waits for the kernel, or passes a frame on. */
  touchesFrames: boolean;
}

/** Header fields other than the status word, in C and camelCase spelling, and offsets named after them. */
const FRAME_FIELD = /^(tp_?(len|snaplen|mac|net|sec|usec|nsec|vlan_?tci|vlan_?tpid|next_?offset|rxhash)|offset_?to_?first_?pkt|num_?pkts|blk_?len|seq_?num|hv1)$/i;
const FRAME_OFFSET = /^(TP_)?(LEN|SNAPLEN|MAC|NET|SEC|USEC|NSEC)_OFFSET$/i;
const WAIT_CALLS = new Set(['poll', 'ppoll', 'select', 'epollWait', 'epoll_wait', 'setTimeout', 'setImmediate', 'sleep', 'delay', 'wait', 'waitAsync']);
const STATUS_FIELDS = statusFields(SCRIPT_VOCABULARY);
const TX_ENUM_MEMBER = /^(Available|SendRequest|Sending|WrongFormat)$/;
const RX_ENUM_MEMBER = /^(Kernel|User|Copy|Losing|CsumNotReady|VlanValid)$/;

export function collectFunctionFacts(ts: TypeScriptApi, body: ts.Node): FunctionFacts {
  let mentionsTx = false;
  let mentionsRx = false;
  let touchesFrames = false;
  const slotRoots = new Set<string>();
  const calls: ts.CallExpression[] = [];

  const visit = (node: ts.Node): void => {
    if (node !== body && isFunctionLike(ts, node)) return;
    if (ts.isIdentifier(node)) {
      const name = node.text;
      if (TX_STATUS_CONSTANTS.has(name) || name === 'PACKET_TX_RING' || (isMemberName(ts, node) && TX_ENUM_MEMBER.test(name))) mentionsTx = true;
      else if (RX_STATUS_CONSTANTS.has(name) || name === 'PACKET_RX_RING' || (isMemberName(ts, node) && RX_ENUM_MEMBER.test(name))) mentionsRx = true;
      if (FRAME_OFFSET.test(name)) touchesFrames = true;
    } else if (ts.isPropertyAccessExpression(node)) {
      const field = node.name.text;
      if (FRAME_FIELD.test(field)) touchesFrames = true;
      if (STATUS_FIELDS.has(field)) {
        const root = rootIdentifier(ts, node.expression);
        if (root) slotRoots.add(root);
      }
    } else if (ts.isCallExpression(node)) {
      calls.push(node);
      if (isMemoryAccessCall(ts, node) && ts.isPropertyAccessExpression(node.expression) && (node.arguments.some((argument) => mentionsStatus(ts, argument)) ||
        (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) && isStatusName(node.parent.name.text)))) {
        // An access of the status word: Atomics and pointer reads take the memory as their first argument, a DataView or Buffer is it.
        const receiver = rootIdentifier(ts, node.expression.expression);
        const [first] = node.arguments;
        const memory = receiver === 'Atomics' || isPointerRead(ts, node) ? first && rootIdentifier(ts, first) : receiver;
        if (memory) slotRoots.add(memory);
        // A DataView/Buffer store into the status word hands the slot back.
        if (/^(set|write)/.test(node.expression.name.text)) touchesFrames = true;
      }
      const callee = calleeName(ts, node);
      if (callee !== undefined && WAIT_CALLS.has(callee)) touchesFrames = true;
      if (callee === 'store' && ts.isPropertyAccessExpression(node.expression) && node.expression.expression.getText() === 'Atomics') touchesFrames = true;
    } else if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
      // `const { tp_status } = h`: `h` is a slot, as for `h.tp_status`.
      const key = node.propertyName ?? node.name;
      const declaration = bindingRoot(ts, node);
      const root = ts.isVariableDeclaration(declaration) && declaration.initializer ? rootIdentifier(ts, declaration.initializer) : undefined;
      if (ts.isIdentifier(key) && STATUS_FIELDS.has(key.text) && root) slotRoots.add(root);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = node.left;
      if (ts.isPropertyAccessExpression(target) && STATUS_FIELDS.has(target.name.text)) touchesFrames = true;
    } else if (ts.isAwaitExpression(node)) {
      // Awaiting inside a ring loop is how JS consumers wait for the kernel.
      touchesFrames = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);

  if (!touchesFrames) {
    // Passing the slot on (to a handler, the caller) consumes it too.
    touchesFrames = calls.some(
      (call) =>
        !isMemoryAccessCall(ts, call) &&
        call.arguments.some((argument) => !(ts.isPropertyAccessExpression(argument) && STATUS_FIELDS.has(argument.name.text)) && mentionsAny(ts, argument, slotRoots)),
    );
  }
  return { txOnly: mentionsTx && !mentionsRx, touchesFrames };
}

/** Whether an expression uses one of the names: `deliver(new Uint8Array(ring.buffer, off))` passes `ring` on. */
function mentionsAny(ts: TypeScriptApi, node: ts.Node, names: ReadonlySet<string>): boolean {
  return names.size > 0 && hasIdentifier(ts, node, (name) => names.has(name.text) && !isMemberName(ts, name));
}

/** `x` of `o.x`: an enum's member, or a property rather than a variable. */
function isMemberName(ts: TypeScriptApi, node: ts.Identifier): boolean {
  return ts.isPropertyAccessExpression(node.parent) && node.parent.name === node;
}

/** The variable a slot expression is rooted in: `h` for `h.hdr.tp_status`, `frames[i].tpStatus`. */
function rootIdentifier(ts: TypeScriptApi, node: ts.Expression): string | undefined {
  let current: ts.Expression = node;
  for (;;) {
    if (ts.isIdentifier(current)) return current.text;
    if (current.kind === ts.SyntaxKind.ThisKeyword) return 'this';
    if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) ||
      ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current)) {
      current = current.expression;
    } else {
      return undefined;
    }
  }
}
