/**
 * The sources of the status word in TypeScript/JavaScript: where a ring slot's status word is read
 * or stored. A JS consumer reaches the ring through a struct-like wrapper (`h.tp_status`,
 * `h.tpStatus`, a member typed with a TP_STATUS enum), a DataView or Buffer at the status field's
 * offset, a typed-array element, or `Atomics`. Raw memory accesses are only the status word when
 * something ties them to it: a status-like name in the offset, index or array, or (decided by the
 * evaluator) a status-like variable they are stored in or a TP_STATUS constant they are compared with.
 */
import type { ts } from 'ts-morph';
import type { RingWord } from '../model/status-value.js';
import { SCRIPT_VOCABULARY, wordNamedBy } from '../model/status-vocabulary.js';
import { declarationOf, skipParentheses, type StatusConstants } from './status-constants.js';
import type { TypeScriptApi } from './typescript-api.js';

const FRAME_FIELDS: ReadonlySet<string> = new Set(SCRIPT_VOCABULARY.frameFields);
const BLOCK_FIELDS: ReadonlySet<string> = new Set(SCRIPT_VOCABULARY.blockFields);

const DATAVIEW_READS = new Set(['getUint32', 'getInt32', 'getBigUint64', 'getBigInt64']);
const DATAVIEW_WRITES = new Set(['setUint32', 'setInt32', 'setBigUint64', 'setBigInt64']);
const BUFFER_READS = /^read(U?Int32|Big(U|u)?[Ii]nt64)(LE|BE)$/;
const BUFFER_WRITES = /^write(U?Int32|Big(U|u)?[Ii]nt64)(LE|BE)$/;
const TYPED_ARRAYS = /^(Uint32Array|Int32Array|BigUint64Array|BigInt64Array)$/;
/** Untyped JS: a typed array is known by its name. */
const TYPED_ARRAY_NAMES = /^(u32|i32|u64|words|status\w*|\w*(Words|U32|Status|Statuses))$/;
/** A name that says "the status word" (TP_STATUS_OFFSET, statusIndex, blockStatusOffset, statusWords). */
const STATUS_NAME = /status/i;
/** A member (or labelled tuple element) that may hold the status word, by its name or its enum type. */
export const STATUS_MEMBER = /status|state/i;

/** How a status read or store reaches memory. */
export interface MemoryAccess {
  word: RingWord;
  /** Atomics (sequentially consistent) — the only ordered access JS has. */
  atomic: boolean;
  /** Tied to the status word by a field name, a type or a status-like name in the access itself. */
  tied: boolean;
}

export interface StatusStore extends MemoryAccess {
  stored: ts.Expression;
}

/** `h.tp_status`, `this.#tpStatus`, `pbd.hdr.bh1.block_status`, `frame.status` typed `TpStatus`. */
export function fieldRead(ts: TypeScriptApi, node: ts.PropertyAccessExpression, checker: ts.TypeChecker, constants: StatusConstants): RingWord | undefined {
  const base = skipParentheses(ts, node.expression);
  const ringBlock = (): boolean => inRingBlock(ts, checker, base, ts.isPropertyAccessExpression(base) ? base.name : undefined);
  return memberWord(ts, constants, node.name.text, () => checker.getTypeAtLocation(node), ringBlock);
}

/**
 * The word a member holds, by its name (a private `#tpStatus` as `tpStatus`) or its enum type:
 * one judgement for property reads, destructured bindings and labelled tuple elements.
 * `ringBlock` says whether a `block_status` sits in a V3 block descriptor (many shapes have one).
 */
export function memberWord(
  ts: TypeScriptApi, constants: StatusConstants, member: string, typeOf: () => ts.Type, ringBlock: () => boolean,
): RingWord | undefined {
  const name = member.startsWith('#') ? member.slice(1) : member;
  if (FRAME_FIELDS.has(name)) return 'frame';
  if (BLOCK_FIELDS.has(name)) return ringBlock() ? 'block' : undefined;
  if (!STATUS_MEMBER.test(name)) return undefined;
  const declaration = statusEnumOf(ts, typeOf(), constants);
  return declaration ? wordNamedBy(`${name} ${declaration.name.text}`) : undefined;
}

/**
 * The label of element `index` of a tuple type (`readonly [tp_status: number, tp_len: number]`):
 * a layout that names its fields. Undefined for unlabelled tuples and other types.
 */
export function tupleLabel(ts: TypeScriptApi, checker: ts.TypeChecker, type: ts.Type, index: number): string | undefined {
  const apparent = checker.getNonNullableType(type);
  if (!checker.isTupleType(apparent)) return undefined;
  const target = (apparent as ts.TypeReference).target as ts.TupleType;
  const declaration = target.labeledElementDeclarations?.[index];
  return declaration && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
}

function statusEnumOf(ts: TypeScriptApi, type: ts.Type, constants: StatusConstants): ts.EnumDeclaration | undefined {
  const candidates = type.isUnion() ? type.types : [type];
  for (const candidate of candidates) {
    if (!(candidate.flags & (ts.TypeFlags.EnumLike | ts.TypeFlags.EnumLiteral))) continue;
    const symbol = candidate.getSymbol();
    for (const declaration of symbol?.declarations ?? []) {
      const enumDeclaration = ts.isEnumMember(declaration) ? declaration.parent : declaration;
      if (ts.isEnumDeclaration(enumDeclaration) && constants.isStatusEnum(enumDeclaration)) return enumDeclaration;
    }
  }
  return undefined;
}

/**
 * Whether the value holding a `blockStatus` (a property read's base, a destructuring pattern) is
 * a V3 block descriptor's header: many unrelated shapes have a `blockStatus`; the V3 one sits in
 * the descriptor's `bh1`/`h1` (the holder's `key`), or on a value whose type (or, for an
 * expression, name) says it is a ring block.
 */
export function inRingBlock(ts: TypeScriptApi, checker: ts.TypeChecker, holder: ts.Expression | ts.BindingPattern, key: ts.Node | undefined): boolean {
  if (key && ts.isIdentifier(key) && RING_BLOCK_HEADERS.has(key.text)) return true;
  if (ts.isExpression(holder) && RING_BLOCK.test(holder.getText())) return true;
  return RING_BLOCK.test(checker.getTypeAtLocation(holder).getSymbol()?.getName() ?? '');
}

const RING_BLOCK = /tpacket|block_?desc|BlockDesc|bd_header|RingBlock|BlockHeader/i;
/** The members of a V3 block descriptor that hold `block_status`. */
const RING_BLOCK_HEADERS: ReadonlySet<string> = new Set(['bh1', 'h1']);

/** A read of 32/64 bits of memory: DataView, Buffer, typed-array element, `Atomics.load`. */
export function memoryRead(ts: TypeScriptApi, node: ts.Expression, checker: ts.TypeChecker): MemoryAccess | undefined {
  if (ts.isElementAccessExpression(node)) {
    return isTypedArray(ts, node.expression, checker) ? accessAt(ts, [node.expression, node.argumentExpression], false) : undefined;
  }
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
  const method = node.expression.name.text;
  const receiver = node.expression.expression;
  const [first, second] = node.arguments;
  if (ts.isIdentifier(receiver) && receiver.text === 'Atomics' && method === 'load' && first && second) return accessAt(ts, [first, second], true);
  if (DATAVIEW_READS.has(method) && first) return accessAt(ts, [first], false);
  if (BUFFER_READS.test(method)) return first ? accessAt(ts, [first], false) : { word: wordNamedBy(receiver.getText()), atomic: false, tied: false };
  // Bun's `read.u32(ptr, offset)` reads a pointer's memory at an offset, as DataView does a buffer's.
  if (BUN_READS.has(method) && first && second && isBunRead(ts, checker, receiver)) return accessAt(ts, [second], false);
  return undefined;
}

/** An access at `offsets` (offset, index or array expressions): their names say which word it is, and tie it to the status word. */
function accessAt(ts: TypeScriptApi, offsets: readonly ts.Expression[], atomic: boolean): MemoryAccess {
  return { word: wordNamedBy(offsets.map((offset) => offset.getText()).join(' ')), atomic, tied: offsets.some((offset) => mentionsStatus(ts, offset)) };
}

const BUN_READS = new Set(['u32', 'i32', 'u64', 'i64']);
const BUN_FFI = 'bun:ffi';

/** `read` (or `ffi.read`) as `bun:ffi` exports it: imported, or destructured from `require('bun:ffi')`. */
function isBunRead(ts: TypeScriptApi, checker: ts.TypeChecker, receiver: ts.Expression): boolean {
  const bare = skipParentheses(ts, receiver);
  const root = ts.isIdentifier(bare) && bare.text === 'read' ? bare
    : ts.isPropertyAccessExpression(bare) && bare.name.text === 'read' && ts.isIdentifier(bare.expression) ? bare.expression : undefined;
  const declaration = root ? checker.getSymbolAtLocation(root)?.declarations?.[0] : undefined;
  return declaration !== undefined && moduleOf(ts, declaration) === BUN_FFI;
}

/** The module an imported or required name comes from. */
function moduleOf(ts: TypeScriptApi, declaration: ts.Declaration): string | undefined {
  for (let node: ts.Node | undefined = declaration; node; node = node.parent) {
    if (ts.isImportDeclaration(node)) return ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
    if (ts.isVariableDeclaration(node)) {
      const initial = node.initializer && skipParentheses(ts, node.initializer);
      const [argument] = initial && ts.isCallExpression(initial) && ts.isIdentifier(initial.expression) && initial.expression.text === 'require' ? initial.arguments : [];
      return argument && ts.isStringLiteral(argument) ? argument.text : undefined;
    }
  }
  return undefined;
}

/** `h.tp_status = v`, `view.setUint32(STATUS_OFFSET, v)`, `u32[statusIndex] = v`, `Atomics.store(…)`. */
export function memoryStore(ts: TypeScriptApi, node: ts.Expression, checker: ts.TypeChecker, constants: StatusConstants): StatusStore | undefined {
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const target = skipParentheses(ts, node.left);
    if (ts.isPropertyAccessExpression(target)) {
      const word = fieldRead(ts, target, checker, constants);
      if (!word) return undefined;
      return { word, atomic: setterIsAtomic(ts, target, checker), tied: true, stored: node.right };
    }
    const access = memoryRead(ts, target, checker);
    return access ? { ...access, stored: node.right } : undefined;
  }
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
  const method = node.expression.name.text;
  const receiver = node.expression.expression;
  const [first, second, third] = node.arguments;
  if (ts.isIdentifier(receiver) && receiver.text === 'Atomics' && method === 'store' && first && second && third) {
    return { ...accessAt(ts, [first, second], true), stored: third };
  }
  if (DATAVIEW_WRITES.has(method) && first && second) return { ...accessAt(ts, [first], false), stored: second };
  if (BUFFER_WRITES.test(method) && first) return { ...accessAt(ts, second ? [second] : [], false), stored: first };
  return undefined;
}

/** A wrapper class whose `set tpStatus(v)` uses `Atomics.store` orders the hand-back itself. */
function setterIsAtomic(ts: TypeScriptApi, target: ts.PropertyAccessExpression, checker: ts.TypeChecker): boolean {
  const declaration = declarationOf(ts, checker, target.name);
  const setter = declaration && ts.isSetAccessorDeclaration(declaration)
    ? declaration
    : declaration?.parent && ts.isClassLike(declaration.parent)
      ? declaration.parent.members.find((member): member is ts.SetAccessorDeclaration => ts.isSetAccessorDeclaration(member) && member.name.getText() === target.name.text)
      : undefined;
  return setter?.body !== undefined && /\bAtomics\.(store|exchange|compareExchange)\b/.test(setter.body.getText());
}

function isTypedArray(ts: TypeScriptApi, node: ts.Expression, checker: ts.TypeChecker): boolean {
  const typeName = checker.getTypeAtLocation(node).getSymbol()?.getName();
  if (typeName && TYPED_ARRAYS.test(typeName)) return true;
  const bare = skipParentheses(ts, node);
  const name = ts.isIdentifier(bare) ? bare.text : ts.isPropertyAccessExpression(bare) ? bare.name.text : undefined;
  // Typed code says what it is; a name only counts where the checker knows nothing.
  const unknown = typeName === undefined || typeName === '__type';
  return unknown && name !== undefined && TYPED_ARRAY_NAMES.test(name);
}

/** Whether an offset, index or array expression names the status word. */
export function mentionsStatus(ts: TypeScriptApi, node: ts.Node): boolean {
  return hasIdentifier(ts, node, (identifier) => STATUS_NAME.test(identifier.text));
}

/** Whether `node` is, or holds, an identifier that `test` accepts. */
export function hasIdentifier(ts: TypeScriptApi, node: ts.Node, test: (identifier: ts.Identifier) => boolean): boolean {
  const visit = (child: ts.Node): boolean | undefined => (ts.isIdentifier(child) && test(child)) || ts.forEachChild(child, visit);
  return visit(node) === true;
}

/** `view.getUint32(…)`, `buf.writeUInt32LE(…)`, `Atomics.load(…)`: a call that is itself a memory access. */
export function isMemoryAccessCall(ts: TypeScriptApi, node: ts.CallExpression): boolean {
  if (!ts.isPropertyAccessExpression(node.expression)) return false;
  const method = node.expression.name.text;
  const receiver = node.expression.expression;
  if (ts.isIdentifier(receiver) && receiver.text === 'Atomics') return true;
  return DATAVIEW_READS.has(method) || DATAVIEW_WRITES.has(method) || BUFFER_READS.test(method) || BUFFER_WRITES.test(method) || isPointerRead(ts, node);
}

/** `read.u32(ptr, offset)`, `ffi.read.u32(…)`: a read whose first argument is the memory, as `Atomics.load`'s is (by name: facts only). */
export function isPointerRead(ts: TypeScriptApi, node: ts.CallExpression): boolean {
  if (!ts.isPropertyAccessExpression(node.expression) || !BUN_READS.has(node.expression.name.text)) return false;
  const receiver = node.expression.expression;
  return (ts.isIdentifier(receiver) && receiver.text === 'read') || (ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'read');
}

export function isStatusName(name: string): boolean {
  return STATUS_NAME.test(name);
}
