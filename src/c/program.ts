/**
 * The first pass over every C unit of a scan: parse it, and index the macros and functions that
 * later passes follow across files.
 */
import type { Span } from '../model/finding.js';
import { indexedNodes, type IndexedNode, type NativeNode, type SyntaxNode, type Tree } from './parser.js';
import { plainCopy } from './plain-tree.js';
import { C_VOCABULARY } from '../model/status-vocabulary.js';
import { STATUS_FIELDS } from './function-facts.js';
import { STORE_BUILTINS } from './ordered-access.js';
import { C_SYNTAX, type CFamilySyntax } from './syntax.js';
import { deadCodeRanges, isInRanges, unwrap } from './tree-walk.js';

export interface CSourceUnit {
  /** Display path (relative to the working directory, `/`-separated). */
  path: string;
  text: string;
  /** The 0-based file row of the text's first row: a document's C block is a unit of its own lines. 0 when absent. */
  rowBase?: number;
  /** The language's grammar and syntax; C's when absent. */
  syntax?: CFamilySyntax;
}

/** Maps positions in a parsed text back to the file it came from. */
export interface Placement {
  file: string;
  /** The file row of the parsed text's row `firstRow`. */
  rowBase: number;
  firstRow: number;
  /** Added to columns on `firstRow` only: a macro body starts mid-line. */
  columnBase: number;
}

/** A node's 1-based extent (end exclusive) in the file its placement maps to. */
export function spanIn(node: SyntaxNode, placement: Placement): Span {
  const map = ({ row, column }: { row: number; column: number }) => ({
    line: placement.rowBase + (row - placement.firstRow) + 1,
    column: (row === placement.firstRow ? placement.columnBase : 0) + column + 1,
  });
  const start = map(node.startPosition);
  const end = map(node.endPosition);
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

export interface ParsedUnit {
  path: string;
  /** The text parsed (the file's, or a document's C block). */
  text: string;
  syntax: CFamilySyntax;
  tree: Tree;
  placement: Placement;
  /** Publishes TP_STATUS_USER into a status word: producer code, not a consumer. */
  producer: boolean;
  /** Every live `a & b`, for the precedence rule. */
  masks: SyntaxNode[];
  /** The macros and functions this unit defines. */
  macros: MacroDefinition[];
  functions: FunctionDefinition[];
  /** Names this unit calls; for producer code, looked for only when asked (see `calleesOf`). */
  callees: Set<string> | undefined;
}

/** What the first pass finds in a text, outside dead code: the same whichever unit holds the text. */
interface SourceIndex {
  macros: Array<Omit<MacroDefinition, 'unit'>>;
  functions: Array<Omit<FunctionDefinition, 'unit'>>;
  /** Every call by name, once per call. */
  calls: string[];
  masks: SyntaxNode[];
  producer: boolean;
}

interface ParsedSource {
  tree: Tree;
  index: SourceIndex;
}

/** Parses once per unit: a scan's prefilter rounds analyse the same units again with more files. */
const parsedSources = new WeakMap<CSourceUnit, ParsedSource>();

/** Parses done ahead, while a scan's walk goes on, by grammar; each is taken by the first unit with its text. */
const parsedAhead = new WeakMap<CFamilySyntax, Map<string, ParsedSource>>();

/** Parses and indexes `text` now, for the unit that will hold it. */
export function parseAhead(text: string, syntax: CFamilySyntax = C_SYNTAX): void {
  let ahead = parsedAhead.get(syntax);
  if (!ahead) parsedAhead.set(syntax, (ahead = new Map()));
  if (!ahead.has(text)) ahead.set(text, parseSource(text, syntax));
}

function parsedSource(source: CSourceUnit, syntax: CFamilySyntax): ParsedSource {
  const cached = parsedSources.get(source);
  if (cached) return cached;
  const ahead = parsedAhead.get(syntax);
  const parsed = ahead?.get(source.text) ?? parseSource(source.text, syntax);
  ahead?.delete(source.text);
  parsedSources.set(source, parsed);
  return parsed;
}

function parseSource(text: string, syntax: CFamilySyntax): ParsedSource {
  const tree = syntax.parse(text);
  const dead = deadRangesOf(tree, text);
  const producer = publishesUserBitIn(tree.rootNode, text, dead);
  // Producer code (the kernel's af_packet.c, emulators) is not analysed: only what a consumer may
  // use of it, its macros and functions, is indexed now (af_packet.c: 160 nodes instead of 1300).
  // Its calls are looked for when a helper has no other callers (`hasCallers`).
  const index = indexOf(indexedNodes(tree.rootNode, { definitions: true, calls: !producer, masks: !producer }), dead, producer);
  // A consumer's functions that touch the status word through this text's own code will be
  // evaluated: copied now (during a scan's walk, when this parse is done ahead).
  if (!producer) {
    const local = carrierNames([...index.macros, ...index.functions]);
    for (const definition of index.functions) if (mentionsStatusIn(definition.identifiers, local)) definitionTree(definition, text);
  }
  return { tree, index };
}

function indexOf(captures: IndexedNode[], dead: ReadonlyArray<readonly [number, number]>, producer: boolean): SourceIndex {
  const index: SourceIndex = { macros: [], functions: [], calls: [], masks: [], producer };
  for (const { name, node } of captures) {
    if (dead.length > 0 && isInRanges(dead, node.startIndex)) continue;
    switch (name) {
      case 'macro': {
        const macro = macroEntry(node);
        if (macro) index.macros.push(macro);
        break;
      }
      case 'function': {
        const definition = functionEntry(node);
        if (definition) index.functions.push(definition);
        break;
      }
      case 'callee':
        index.calls.push(node.text);
        break;
      case 'mask':
        index.masks.push(node);
        break;
    }
  }
  return index;
}

/** `#if 0` blocks: what the index leaves out. */
function deadRangesOf(tree: Tree, text: string): Array<[start: number, end: number]> {
  return /#\s*if\s+0/.test(text) ? deadCodeRanges(tree.rootNode) : [];
}

function calleesOf(unit: ParsedUnit): Set<string> {
  unit.callees ??= new Set(indexOf(indexedNodes(unit.tree.rootNode, { definitions: false, calls: true, masks: false }), deadRangesOf(unit.tree, unit.text), unit.producer).calls);
  return unit.callees;
}

/** Whether live code publishes TP_STATUS_USER into a status word (asked of each mention, not of every node). */
function publishesUserBitIn(root: NativeNode, text: string, dead: ReadonlyArray<readonly [number, number]>): boolean {
  for (let at = text.indexOf(USER_BIT); at !== -1; at = text.indexOf(USER_BIT, at + USER_BIT.length)) {
    const node = root.descendantForIndex(at, at + USER_BIT.length);
    if (node.type !== 'identifier' || node.startIndex !== at || node.endIndex !== at + USER_BIT.length) continue; // a longer name, a comment
    const parent = node.parent;
    if (!parent || isInRanges(dead, at)) continue;
    if ((parent.type === 'binary_expression' || parent.type === 'assignment_expression') && publishesUserBit(parent)) return true;
    if (parent.type === 'argument_list' && storesIntoStatusWord(parent, node)) return true;
  }
  return false;
}

const USER_BIT = 'TP_STATUS_USER';

export interface MacroDefinition {
  name: string;
  /** null for an object-like macro. */
  params: string[] | null;
  body: string;
  unit: ParsedUnit;
  /** The `#define` line, for related locations. */
  node: SyntaxNode;
  /** Every identifier of the body. */
  identifiers: ReadonlySet<string>;
  /** The body's own position in the file. */
  bodyRow: number;
  bodyColumn: number;
}

/** The function a document's C fragment with statements at file scope is wrapped in (docs/extract-fragments.ts). */
export const FRAGMENT_FUNCTION = 'ringlint_fragment';

export interface FunctionDefinition {
  name: string;
  unit: ParsedUnit;
  node: NativeNode;
  params: string[];
  /** `static`: invisible to other files. */
  fileLocal: boolean;
  /** The body's text ('' for none). */
  body: string;
  /** Every identifier of the body. */
  identifiers: ReadonlySet<string>;
}

export class CProgram {
  readonly units: ParsedUnit[] = [];
  /** The producer units among them: `hasCallers` looks through these for every uncalled helper. */
  private readonly producerUnits: ParsedUnit[] = [];
  readonly macros = new Map<string, MacroDefinition[]>();
  readonly functions = new Map<string, FunctionDefinition[]>();
  /** How many calls each name has in consumer code (a helper's decisions are reported at its callers). */
  readonly callCounts = new Map<string, number>();
  private carrierNames: Set<string> | undefined;
  /** Called with a status-carrying argument but defined in no file of the scan (yet). */
  readonly unresolvedStatusCallees = new Set<string>();

  add(source: CSourceUnit): ParsedUnit {
    this.carrierNames = undefined;
    const syntax = source.syntax ?? C_SYNTAX;
    const { tree, index } = parsedSource(source, syntax);
    const unit: ParsedUnit = {
      path: source.path,
      text: source.text,
      syntax,
      tree,
      placement: { file: source.path, rowBase: source.rowBase ?? 0, firstRow: 0, columnBase: 0 },
      producer: index.producer,
      masks: index.masks,
      macros: [],
      functions: [],
      callees: index.producer ? undefined : new Set(index.calls),
    };
    unit.macros = index.macros.map((entry) => ({ ...entry, unit }));
    unit.functions = index.functions.map((entry) => ({ ...entry, unit }));
    for (const macro of unit.macros) pushTo(this.macros, macro.name, macro);
    for (const definition of unit.functions) pushTo(this.functions, definition.name, definition);
    for (const name of index.calls) this.callCounts.set(name, (this.callCounts.get(name) ?? 0) + 1);
    this.units.push(unit);
    if (unit.producer) this.producerUnits.push(unit);
    return unit;
  }

  /**
   * Names of macros and functions whose bodies touch the status word, directly or through another
   * carrier. Everything else can be skipped without evaluating it.
   */
  carriers(): ReadonlySet<string> {
    this.carrierNames ??= carrierNames([...[...this.macros.values()].flat(), ...[...this.functions.values()].flat()]);
    return this.carrierNames;
  }

  /** Carrier macros that other files can use: those defined outside `.c` files. */
  exportedMacroCarriers(): string[] {
    const carriers = this.carriers();
    return [...this.macros]
      .filter(([name, definitions]) => carriers.has(name) && definitions.some((macro) => !macro.unit.path.endsWith('.c')))
      .map(([name]) => name);
  }

  /** Functions other files can call (not `static`) whose bodies touch the status word. */
  exportedFunctionCandidates(): FunctionDefinition[] {
    const carriers = this.carriers();
    return [...this.functions.values()].flat().filter((definition) => !definition.fileLocal && carriers.has(definition.name));
  }

  /** Whether code mentions the status word or a carrier; code that does not cannot decide ownership. */
  mentionsStatus(identifiers: ReadonlySet<string>): boolean {
    return mentionsStatusIn(identifiers, this.carriers());
  }

  /** Definitions visible from `unit`: its own first, else every other file's (headers). */
  macroDefinitions(name: string, unit: ParsedUnit): MacroDefinition[] {
    return preferSameUnit(this.macros.get(name), unit);
  }

  functionDefinitions(name: string, unit: ParsedUnit): FunctionDefinition[] {
    // A definition of poll() or recvmsg() in a scanned tree is an interposer (an LD_PRELOAD shim, a
    // test double), not a helper the consumer calls: the consumer's source calls the C library.
    if (SYSTEM_INTERFACES.has(name)) return [];
    const local = (this.functions.get(name) ?? []).filter((definition) => definition.unit === unit);
    if (local.length > 0) return local;
    // A `static` function is invisible outside its own file.
    return (this.functions.get(name) ?? []).filter((definition) => !definition.fileLocal);
  }

  /** Whether anything in the scan can call `definition`: for a `static` one, only its own file. */
  hasCallers(definition: FunctionDefinition): boolean {
    if (definition.fileLocal) return calleesOf(definition.unit).has(definition.name);
    if ((this.callCounts.get(definition.name) ?? 0) > 0) return true;
    // A helper that only producer code calls is producer code too: its decisions are not reported.
    return this.producerUnits.some((unit) => unit.text.includes(definition.name) && calleesOf(unit).has(definition.name));
  }
}

function macroEntry(node: SyntaxNode): Omit<MacroDefinition, 'unit'> | undefined {
  const name = node.childForFieldName('name')?.text;
  const value = node.childForFieldName('value');
  if (!name || !value) return undefined;
  const paramsNode = node.childForFieldName('parameters');
  return {
    name,
    params: paramsNode ? paramsNode.namedChildren.map((param) => param.text) : null,
    body: value.text,
    identifiers: identifiersOf(value.text),
    node,
    bodyRow: value.startPosition.row,
    bodyColumn: value.startPosition.column,
  };
}

function functionEntry(node: NativeNode): Omit<FunctionDefinition, 'unit'> | undefined {
  let declarator = node.childForFieldName('declarator');
  while (declarator && declarator.type !== 'function_declarator') {
    declarator = declarator.childForFieldName('declarator');
  }
  const name = declarator?.childForFieldName('declarator');
  if (!declarator || name?.type !== 'identifier') return undefined;
  const params: string[] = [];
  for (const param of declarator.childForFieldName('parameters')?.namedChildren ?? []) {
    params.push(declaredName(param.childForFieldName('declarator')) ?? '');
  }
  const fileLocal = node.namedChildren.some((child) => child.type === 'storage_class_specifier' && child.text === 'static');
  const body = node.childForFieldName('body')?.text ?? '';
  return { name: name.text, node, params, fileLocal, body, identifiers: identifiersOf(body) };
}

const definitionTrees = new WeakMap<NativeNode, SyntaxNode>();

/** A function definition as the evaluator reads it: a plain copy, made once (`text`: the unit's). */
export function definitionTree(definition: Pick<FunctionDefinition, 'node'>, text: string): SyntaxNode {
  let tree = definitionTrees.get(definition.node);
  if (!tree) {
    tree = plainCopy(definition.node, text);
    definitionTrees.set(definition.node, tree);
  }
  return tree;
}

/** The identifier a (possibly pointer/array) declarator declares. */
export function declaredName(declarator: SyntaxNode | null): string | undefined {
  let current = declarator;
  while (current && current.type !== 'identifier') {
    current = current.childForFieldName('declarator');
  }
  return current?.text;
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function preferSameUnit<T extends { unit: ParsedUnit }>(definitions: T[] | undefined, unit: ParsedUnit): T[] {
  if (!definitions) return [];
  const local = definitions.filter((definition) => definition.unit === unit);
  return local.length > 0 ? local : definitions;
}


/** C library and system-call wrappers a ring consumer calls; never resolved to a scanned definition. */
const SYSTEM_INTERFACES: ReadonlySet<string> = new Set([
  'poll', 'ppoll', 'select', 'pselect', 'epoll_wait', 'epoll_pwait', 'epoll_pwait2', 'epoll_ctl',
  'read', 'recv', 'recvfrom', 'recvmsg', 'recvmmsg', 'mmap', 'mmap64', 'munmap', 'setsockopt',
  'getsockopt', 'socket', 'bind', 'ioctl', 'close', 'sendto', 'sendmsg', 'write',
]);

function identifiersOf(text: string): Set<string> {
  const identifiers = new Set<string>();
  for (const match of text.matchAll(/[A-Za-z_]\w*/g)) identifiers.add(match[0]);
  return identifiers;
}

function mentionsStatusIn(identifiers: ReadonlySet<string>, carriers: ReadonlySet<string>): boolean {
  for (const identifier of identifiers) if (isStatusToken(identifier) || carriers.has(identifier)) return true;
  return false;
}

/** The carriers among `definitions` (see CProgram.carriers). */
function carrierNames(definitions: ReadonlyArray<{ name: string; identifiers: ReadonlySet<string> }>): Set<string> {
  const carriers = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const { name, identifiers } of definitions) {
      if (carriers.has(name) || !mentionsStatusIn(identifiers, carriers)) continue;
      carriers.add(name);
      changed = true;
    }
  }
  return carriers;
}

export function isStatusToken(identifier: string): boolean {
  return STATUS_FIELDS.has(identifier) || identifier.startsWith(C_VOCABULARY.constantPrefix);
}

/** `__atomic_store_n(&h->tp_status, TP_STATUS_USER, …)`, `WRITE_ONCE(h->tp_status, TP_STATUS_USER)`: `value` stored into a status word. */
function storesIntoStatusWord(argumentList: SyntaxNode, value: SyntaxNode): boolean {
  const call = argumentList.parent;
  const callee = call?.type === 'call_expression' ? call.childForFieldName('function') : null;
  if (callee?.type !== 'identifier' || !STORE_BUILTINS.has(callee.text)) return false;
  const [target, stored] = argumentList.namedChildren;
  if (stored?.id !== value.id || !target) return false;
  let word = unwrap(target);
  if (word.type === 'pointer_expression' && word.childForFieldName('operator')?.type === '&') word = unwrap(word.childForFieldName('argument') ?? word);
  const field = word.type === 'field_expression' ? word.childForFieldName('field')?.text : undefined;
  return field !== undefined && STATUS_FIELDS.has(field);
}

/** `x | TP_STATUS_USER`, `s |= TP_STATUS_USER`, `h->tp_status = … TP_STATUS_USER …`: the kernel's side of the ring. */
function publishesUserBit(node: SyntaxNode): boolean {
  const operator = node.childForFieldName('operator')?.type;
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const isUserBit = (side: SyntaxNode | null): boolean => side?.type === 'identifier' && side.text === 'TP_STATUS_USER';
  if (node.type === 'binary_expression') return operator === '|' && (isUserBit(left) || isUserBit(right));
  if (operator === '|=') return isUserBit(right);
  if (operator !== '=' || left?.type !== 'field_expression') return false;
  const field = left.childForFieldName('field')?.text;
  return field !== undefined && STATUS_FIELDS.has(field) && /\bTP_STATUS_USER\b/.test(right?.text ?? '');
}
