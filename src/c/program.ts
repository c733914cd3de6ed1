/**
 * The first pass over every C unit of a scan: parse it, and index the macros and functions that
 * later passes follow across files.
 */
import { posix } from 'node:path';
import { quotedIncludeNames } from '../files/quoted-includes.js';
import type { SourceUnit } from '../languages/language.js';
import type { Span } from '../model/finding.js';
import { indexedNodes, type IndexedNodes, type NativeNode, type SyntaxNode, type Tree } from './parser.js';
import { plainCopy } from './plain-tree.js';
import { C_VOCABULARY, USER_BIT } from '../model/status-vocabulary.js';
import { isStatusAccess, STATUS_FIELDS } from './function-facts.js';
import { STORE_BUILTINS } from './ordered-access.js';
import { parseIntegerLiteral } from './status-constants.js';
import type { CFamilySyntax } from './family-syntax.js';
import { deadCodeRanges, isInRanges, memberCallOf } from './tree-walk.js';

/** A unit as the C family reads it: with its language's grammar and syntax (or the one that claims it). */
export interface CSourceUnit extends Pick<SourceUnit, 'path' | 'text' | 'rowBase'> {
  syntax: CFamilySyntax;
  /** Its text parsed and indexed with `syntax`: filled on first use, or given when parsed ahead. */
  parsed?: ParsedSource;
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

export type ParsedSource = ReturnType<typeof indexOf> & { tree: Tree; producer: boolean };

/** Parses and indexes a text: the same whichever unit holds it. */
export function parseSource(text: string, syntax: CFamilySyntax): ParsedSource {
  const tree = syntax.parse(text);
  const dead = deadRangesOf(tree, text);
  const producer = publishesUserBitIn(tree.rootNode, text, dead, syntax);
  // Producer code (the kernel's af_packet.c, emulators) is not analysed: only what a consumer may
  // use of it, its macros and functions, is indexed now (af_packet.c: 160 nodes instead of 1300).
  // Its calls are looked for when a helper has no other callers (`hasCallers`).
  return { tree, producer, ...indexOf(indexedNodes(tree.rootNode, { definitions: true, calls: !producer, masks: !producer, memberCalls: syntax.memberFunctions }), dead) };
}

/** What the first pass finds in a text, outside dead code (`calls`: every call by name, once per call): the same whichever unit holds the text. */
function indexOf(nodes: IndexedNodes, dead: ReadonlyArray<readonly [number, number]>) {
  const live = (node: NativeNode): boolean => dead.length === 0 || !isInRanges(dead, node.startIndex);
  return {
    macros: nodes.macro.filter(live).flatMap((node) => macroEntry(node) ?? []),
    functions: nodes.function.filter(live).flatMap((node) => functionEntry(node) ?? []),
    calls: nodes.callee.filter(live).map((node) => node.text),
    masks: nodes.mask.filter(live),
  };
}

/** `#if 0` blocks: what the index leaves out. */
function deadRangesOf(tree: Tree, text: string): Array<[start: number, end: number]> {
  return /#\s*if\s+0/.test(text) ? deadCodeRanges(tree.rootNode) : [];
}

function calleesOf(unit: ParsedUnit): Set<string> {
  const options = { definitions: false, calls: true, masks: false, memberCalls: unit.syntax.memberFunctions };
  unit.callees ??= new Set(indexOf(indexedNodes(unit.tree.rootNode, options), deadRangesOf(unit.tree, unit.text)).calls);
  return unit.callees;
}

/** Whether live code publishes TP_STATUS_USER into a status word (asked of each mention, not of every node). */
function publishesUserBitIn(root: NativeNode, text: string, dead: ReadonlyArray<readonly [number, number]>, syntax: CFamilySyntax): boolean {
  for (let at = text.indexOf(USER_BIT); at !== -1; at = text.indexOf(USER_BIT, at + USER_BIT.length)) {
    const node = root.descendantForIndex(at, at + USER_BIT.length);
    if (node.type !== 'identifier' || node.startIndex !== at || node.endIndex !== at + USER_BIT.length) continue; // a longer name, a comment
    const parent = node.parent;
    if (!parent || isInRanges(dead, at)) continue;
    if ((parent.type === 'binary_expression' || parent.type === 'assignment_expression') && publishesUserBit(parent)) return true;
    if (parent.type === 'argument_list' && storesIntoStatusWord(parent, node, syntax)) return true;
  }
  return false;
}

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
  /** The function's own name; a member function's without its class. */
  name: string;
  /** A member function's class (C++): `R` for `bool R::f()` and for `f` defined in `class R { … }`. */
  className?: string;
  /** The namespace it is defined in, or its class is ('' for the global one; C has no other). */
  namespace: string;
  unit: ParsedUnit;
  node: NativeNode;
  params: string[];
  /** `static` in a translation unit (or C++'s anonymous namespace): invisible to other files. */
  fileLocal: boolean;
  /** `static` (`static inline`) in a header: its includers' own copy. */
  includersOnly: boolean;
  /** Returns `bool` (C's `_Bool`): the status word it returns is tested for truth there. */
  returnsBool: boolean;
  /** Every identifier of the body. */
  identifiers: ReadonlySet<string>;
}

/** Where a call is made from (C++): the class of the member function making it, and its namespace. */
export type CallerScope = Pick<FunctionDefinition, 'className' | 'namespace'>;

/** A class as a type names it: `Ring`, or `capture::Ring` (qualifier `capture`). */
export interface TypeName {
  name: string;
  qualifier?: string;
}

export class CProgram {
  readonly units: ParsedUnit[] = [];
  /** The producer units among them: `hasCallers` looks through these for every uncalled helper. */
  private readonly producerUnits: ParsedUnit[] = [];
  readonly macros = new Map<string, MacroDefinition[]>();
  readonly functions = new Map<string, FunctionDefinition[]>();
  /** The names consumer code calls (a helper's decisions are reported at its callers). */
  private readonly calledNames = new Set<string>();
  private carrierNames: Set<string> | undefined;
  /** Called with a status-carrying argument but defined in no file of the scan (yet). */
  readonly unresolvedStatusCallees = new Set<string>();

  add(source: CSourceUnit): ParsedUnit {
    this.carrierNames = undefined;
    // Parsed once per unit: a scan's prefilter rounds analyse the same units again with more files.
    const index = (source.parsed ??= parseSource(source.text, source.syntax));
    const unit: ParsedUnit = {
      path: source.path,
      text: source.text,
      syntax: source.syntax,
      tree: index.tree,
      placement: { file: source.path, rowBase: source.rowBase ?? 0, firstRow: 0, columnBase: 0 },
      producer: index.producer,
      masks: index.masks,
      macros: [],
      functions: [],
      callees: index.producer ? undefined : new Set(index.calls),
    };
    unit.macros = index.macros.map((entry) => ({ ...entry, unit }));
    // A `static` (or `static inline`) function of a header is its includers' too.
    const fileScoped = source.rowBase !== undefined || isTranslationUnit(unit);
    unit.functions = index.functions.map((entry) => ({ ...entry, fileLocal: entry.fileLocal && fileScoped, includersOnly: entry.fileLocal && !fileScoped, unit }));
    for (const macro of unit.macros) pushTo(this.macros, macro.name, macro);
    for (const definition of unit.functions) pushTo(this.functions, definition.name, definition);
    for (const name of index.calls) this.calledNames.add(name);
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

  /**
   * Carriers other files can use, sorted: macros defined outside `.c` files, and functions they can
   * call (not `static`) that `returnsStatus` says yield the status word or a decision.
   */
  exportedCarriers(returnsStatus: (helper: FunctionDefinition) => boolean): string[] {
    const carriers = this.carriers();
    const macros = [...this.macros].filter(([name, definitions]) => carriers.has(name) && definitions.some((macro) => !isTranslationUnit(macro.unit)));
    const functions = [...this.functions.values()].flat().filter((definition) => !definition.fileLocal && carriers.has(definition.name) && returnsStatus(definition));
    return [...macros.map(([name]) => name), ...functions.map((definition) => definition.name)].sort();
  }

  /** Whether code mentions the status word or a carrier; code that does not cannot decide ownership. */
  mentionsStatus(identifiers: ReadonlySet<string>): boolean {
    return mentionsStatusIn(identifiers, this.carriers());
  }

  /** Definitions visible from `unit`: its own first, else every other file's (headers). */
  macroDefinitions(name: string, unit: ParsedUnit): MacroDefinition[] {
    return preferSameUnit(this.macros.get(name), unit);
  }

  /**
   * The functions a call by name calls: from a member function of a class (or naming it, `R::f()`),
   * that class's own first (C++); else functions, not members.
   */
  functionDefinitions(name: string, unit: ParsedUnit, scope?: CallerScope): FunctionDefinition[] {
    // A definition of poll() or recvmsg() in a scanned tree is an interposer (an LD_PRELOAD shim, a
    // test double), not a helper the consumer calls: the consumer's source calls the C library.
    if (SYSTEM_INTERFACES.has(name)) return [];
    const named = this.functions.get(name) ?? [];
    if (scope?.className !== undefined) {
      const members = named.filter((definition) => definition.className === scope.className);
      if (members.length > 0) return this.visibleFrom(unit, nearestInNamespaces(members, undefined, scope.namespace));
    }
    const functions = named.filter((definition) => definition.className === undefined);
    const local = functions.filter((definition) => definition.unit === unit);
    if (local.length > 0) return local;
    // A header's static inline helper is its includers' (among several of one name, theirs first).
    const headerCopies = functions.filter((definition) => definition.includersOnly);
    if (headerCopies.length > 0) {
      const included = this.includedPaths(unit);
      const own = headerCopies.filter((definition) => included.has(definition.unit.path));
      if (own.length > 0) return own;
    }
    // A `static` function is invisible outside its own file.
    const visible = functions.filter((definition) => !definition.fileLocal && !definition.includersOnly);
    // An include the scan could not follow (`#include <ring.h>`, a generated path) may bring one in.
    return visible.length > 0 ? visible : headerCopies;
  }

  private readonly includes = new Map<ParsedUnit, ReadonlySet<string>>();

  /** The display paths of the units `unit` includes by quoted path, and those they include. */
  private includedPaths(unit: ParsedUnit): ReadonlySet<string> {
    let paths = this.includes.get(unit);
    if (!paths) {
      const found = new Set<string>();
      const byPath = new Map(this.units.map((candidate) => [candidate.path, candidate]));
      const pending = [unit];
      for (let current = pending.pop(); current && found.size < 256; current = pending.pop()) {
        for (const path of quotedIncludePaths(current.path, current.text)) {
          const included = byPath.get(path);
          if (!included || found.has(path)) continue;
          found.add(path);
          pending.push(included);
        }
      }
      this.includes.set(unit, (paths = found));
    }
    return paths;
  }

  /**
   * The member functions `r.f()` may call (C++): of the object's class when it is known (none when
   * that class defines no `f` here: the object is of another class than those that do), else of any.
   */
  memberDefinitions(name: string, receiver: TypeName | undefined, from: string, unit: ParsedUnit): FunctionDefinition[] {
    const members = (this.functions.get(name) ?? []).filter((definition) => definition.className !== undefined);
    if (receiver === undefined) return this.visibleFrom(unit, members);
    return this.visibleFrom(unit, nearestInNamespaces(members.filter((definition) => definition.className === receiver.name), receiver.qualifier, from));
  }

  /**
   * Among member functions of one name, those defined in `unit` or a header it includes: separate
   * programs of one tree (two tools, two test binaries) each define their own `R::f` in their own
   * file. A member defined out of its class in another file (`ring.cc`'s `bool R::f()`) is found when
   * none is visible.
   */
  private visibleFrom(unit: ParsedUnit, definitions: FunctionDefinition[]): FunctionDefinition[] {
    if (definitions.length <= 1) return definitions;
    const included = this.includedPaths(unit);
    const visible = definitions.filter((definition) => definition.unit === unit || included.has(definition.unit.path));
    return visible.length > 0 ? visible : definitions;
  }

  /** Where a class is defined (`class R {`, `struct R {`): for the declared types of its members. */
  classBodies(name: string): NativeNode[] {
    let bodies = this.classBodyCache.get(name);
    if (!bodies) {
      bodies = [];
      for (const unit of this.units) {
        for (const { node } of wordsIn(unit, name)) {
          const specifier = node.type === 'type_identifier' ? node.parent : null;
          const body = specifier && CLASS_TYPES.has(specifier.type) ? specifier.childForFieldName('body') : null;
          if (body) bodies.push(body);
        }
      }
      this.classBodyCache.set(name, bodies);
    }
    return bodies;
  }

  private readonly classBodyCache = new Map<string, NativeNode[]>();
  private readonly constantCache = new Map<string, NamedConstant[]>();

  /**
   * Constants named `name` outside functions: `const`/`constexpr` variables (`static const unsigned
   * KERNEL = 0;`, C++'s `constexpr uint32_t kKernel = TP_STATUS_KERNEL;`, a class's `static constexpr`
   * member) and enumerators (`enum class Slot { Kernel, User }`). Looked for by name when asked, in
   * the unit first: a comparison with an unknown name is rare, walking every declaration is not.
   */
  namedConstants(name: string, unit: ParsedUnit): NamedConstant[] {
    let found = this.constantCache.get(name);
    if (!found) {
      found = this.units.filter((candidate) => candidate.text.includes(name)).flatMap((candidate) => constantsNamed(candidate, name));
      this.constantCache.set(name, found);
    }
    return preferSameUnit(found, unit);
  }

  /** Whether anything in the scan can call `definition`: for a `static` one, only its own file. */
  hasCallers(definition: FunctionDefinition): boolean {
    if (definition.fileLocal) return calleesOf(definition.unit).has(definition.name);
    if (this.calledNames.has(definition.name)) return true;
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

function functionEntry(node: NativeNode): Omit<FunctionDefinition, 'unit' | 'includersOnly'> | undefined {
  let declarator = node.childForFieldName('declarator');
  while (declarator && declarator.type !== 'function_declarator') declarator = innerDeclarator(declarator);
  const named = declarator?.childForFieldName('declarator');
  const name = named ? definedName(named) : undefined;
  if (!declarator || !name) return undefined;
  const params = (declarator.childForFieldName('parameters')?.namedChildren ?? []).map((param) => declaredName(param.childForFieldName('declarator')) ?? '');
  const scopes = named!.type === 'qualified_identifier' ? scopeNames(named!) : []; // named is set with name
  const className = scopes.length > 0 ? scopes.pop() : enclosingClassName(node);
  const namespaces = enclosingNamespaces(node);
  const namespace = [...namespaces.names, ...scopes].join('::');
  const isStatic = node.namedChildren.some((child) => child.type === 'storage_class_specifier' && child.text === 'static');
  // `static` at file scope, or in C++'s anonymous namespace; a static member function is the class's.
  const fileLocal = (isStatic && className === undefined) || namespaces.anonymous;
  const type = node.childForFieldName('type');
  // `bool f()`, not `bool *f()` or `bool &f()`: the function's own declarator is the function.
  const returnsBool = type?.type === 'primitive_type' && BOOLEANS.has(type.text) && node.childForFieldName('declarator')?.type === 'function_declarator';
  return { name, ...(className !== undefined ? { className } : {}), namespace, node, params, fileLocal, returnsBool, identifiers: identifiersOf(node.childForFieldName('body')?.text ?? '') };
}

const BOOLEANS: ReadonlySet<string> = new Set(['bool', '_Bool']);

/** What a declarator wraps: its `declarator` field, or C++'s reference declarator's one child. */
function innerDeclarator<Node extends SyntaxNode>(declarator: Node): Node | null {
  // Both node kinds return their own kind of node: `Node` is either.
  return (declarator.childForFieldName('declarator') ?? (declarator.type === 'reference_declarator' ? declarator.namedChild(0) : null)) as Node | null;
}

/** `f`, a member function `f` defined in its class, `R::f`, `ns::R::f` (f); destructors and operators have none worth following. */
function definedName(node: SyntaxNode): string | undefined {
  let current: SyntaxNode | null = node;
  while (current?.type === 'qualified_identifier' || current?.type === 'template_function') current = current.childForFieldName('name');
  return current?.type === 'identifier' || current?.type === 'field_identifier' ? current.text : undefined;
}

/** `ns`, `R` of `ns::R::f`: the scopes before the name (a template's without its arguments). */
export function scopeNames(qualified: SyntaxNode): string[] {
  const scopes: string[] = [];
  for (let current: SyntaxNode | null = qualified; current?.type === 'qualified_identifier'; current = current.childForFieldName('name')) {
    const named = current.childForFieldName('scope');
    const scope = named?.type === 'template_type' ? named.childForFieldName('name')?.text : named?.text;
    if (scope) scopes.push(scope);
  }
  return scopes;
}

/** The named namespaces around a node, outermost first, and whether one is anonymous (its file's own). */
function enclosingNamespaces(node: NativeNode): { names: string[]; anonymous: boolean } {
  const names: string[] = [];
  let anonymous = false;
  for (let current = node.parent; current; current = current.parent) {
    if (current.type !== 'namespace_definition') continue;
    const name = current.childForFieldName('name');
    if (!name) anonymous = true;
    else if (name.text) names.unshift(...name.text.split('::'));
  }
  return { names, anonymous };
}

/**
 * A class's member functions as C++ name lookup finds them from namespace `from`: those of the
 * namespace `qualifier` names (`capture::Ring`), else the nearest enclosing namespace's with any;
 * all when none is nearer (a `using` directive may bring any in).
 */
function nearestInNamespaces(candidates: FunctionDefinition[], qualifier: string | undefined, from: string): FunctionDefinition[] {
  if (candidates.length <= 1) return candidates;
  if (qualifier !== undefined) {
    const named = candidates.filter((definition) => definition.namespace === qualifier || definition.namespace.endsWith(`::${qualifier}`));
    return named.length > 0 ? named : candidates;
  }
  // `from` itself, then each enclosing namespace out to the global one ('').
  const scopes = from === '' ? [] : from.split('::');
  for (let depth = scopes.length; depth >= 0; depth--) {
    const namespace = scopes.slice(0, depth).join('::');
    const here = candidates.filter((definition) => definition.namespace === namespace);
    if (here.length > 0) return here;
  }
  return candidates;
}

const CLASS_TYPES: ReadonlySet<string> = new Set(['class_specifier', 'struct_specifier', 'union_specifier']);

/** The class a member function is defined in (C++ defines them in the class body). */
function enclosingClassName(definition: NativeNode): string | undefined {
  const list = definition.parent?.type === 'template_declaration' ? definition.parent.parent : definition.parent;
  if (list?.type !== 'field_declaration_list' || !list.parent || !CLASS_TYPES.has(list.parent.type)) return undefined;
  const name = list.parent.childForFieldName('name');
  return name?.type === 'template_type' ? name.childForFieldName('name')?.text : name?.text;
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

/** The identifier a (possibly pointer, array or C++ reference) declarator declares. */
export function declaredName(declarator: SyntaxNode | null): string | undefined {
  let current = declarator;
  while (current && current.type !== 'identifier') current = innerDeclarator(current);
  return current?.text;
}

/** The display paths of a text's quoted includes, resolved beside its file (as the preprocessor tries first). */
export function quotedIncludePaths(path: string, text: string): string[] {
  return quotedIncludeNames(text).map((name) => posix.normalize(posix.join(posix.dirname(path), name)));
}

/** A `.c` (or `.cc`, …) file: its macros are its own. */
function isTranslationUnit(unit: ParsedUnit): boolean {
  return unit.syntax.translationUnitExtensions.some((extension) => unit.path.endsWith(extension));
}

/** A constant's value: an initializer's node (in `unit`'s tree), or an enumerator's implicit value. */
interface NamedConstant {
  unit: ParsedUnit;
  value: NativeNode | number;
  /** An enumerator of C++'s `enum class` (or `enum struct`). */
  scoped: boolean;
}

/** Where `name` stands as a word in `unit`'s text, and the node there. */
function* wordsIn({ text, tree }: ParsedUnit, name: string): Generator<{ at: number; node: NativeNode }> {
  const isWordCharacter = (at: number): boolean => /\w/.test(text[at] ?? '');
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + name.length)) {
    // The smallest node around the word: its identifier, or the comment or string it is in.
    if (!isWordCharacter(at - 1) && !isWordCharacter(at + name.length)) yield { at, node: tree.rootNode.descendantForIndex(at, at + name.length) };
  }
}

function constantsNamed(unit: ParsedUnit, name: string): NamedConstant[] {
  const found: NamedConstant[] = [];
  for (const { at, node } of wordsIn(unit, name)) {
    const parent = node.parent;
    if (!parent || (node.type !== 'identifier' && node.type !== 'field_identifier')) continue;
    if (parent.type === 'enumerator' && parent.childForFieldName('name')?.startIndex === at) {
      const value = parent.childForFieldName('value') ?? implicitEnumeratorValue(parent);
      const specifier = parent.parent?.parent;
      const scoped = specifier?.type === 'enum_specifier' && specifier.children.some((child) => child.type === 'class' || child.type === 'struct');
      if (value !== undefined) found.push({ unit, value, scoped });
    } else if (parent.type === 'init_declarator' && parent.childForFieldName('declarator')?.startIndex === at) {
      const declaration = parent.parent;
      const value = parent.childForFieldName('value');
      if (declaration?.type === 'declaration' && value && isConstantDeclaration(declaration)) found.push({ unit, value, scoped: false });
    } else if (parent.type === 'field_declaration' && parent.childForFieldName('declarator')?.startIndex === at) {
      const value = parent.childForFieldName('default_value');
      if (value && isConstantDeclaration(parent)) found.push({ unit, value, scoped: false });
    }
  }
  return found;
}

/** `const` or `constexpr`, and outside any function (a local constant is the function's business). */
function isConstantDeclaration(declaration: NativeNode): boolean {
  if (!declaration.namedChildren.some((child) => child.type === 'type_qualifier' && (child.text === 'const' || child.text === 'constexpr'))) return false;
  for (let current = declaration.parent; current; current = current.parent) {
    if (current.type === 'compound_statement') return false;
  }
  return true;
}

/** An enumerator without a value: one more than the one before, counted from the last literal value (0 at the start). */
function implicitEnumeratorValue(enumerator: NativeNode): number | undefined {
  const list = enumerator.parent?.namedChildren.filter((child) => child.type === 'enumerator') ?? [];
  let value = -1;
  for (const candidate of list) {
    const explicit = candidate.childForFieldName('value');
    if (explicit) {
      const literal = parseIntegerLiteral(explicit.text);
      if (literal === undefined) return undefined;
      value = literal;
    } else {
      value += 1;
    }
    if (candidate.startIndex === enumerator.startIndex) return value;
  }
  return undefined;
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

function isStatusToken(identifier: string): boolean {
  return STATUS_FIELDS.has(identifier) || identifier.startsWith(C_VOCABULARY.constantPrefix);
}

/**
 * `__atomic_store_n(&h->tp_status, TP_STATUS_USER, …)`, `WRITE_ONCE(h->tp_status, TP_STATUS_USER)`,
 * C++'s `std::atomic_ref<uint32_t>(h->tp_status).store(TP_STATUS_USER, …)`: `value` stored into a status word.
 */
function storesIntoStatusWord(argumentList: SyntaxNode, value: SyntaxNode, syntax: CFamilySyntax): boolean {
  const call = argumentList.parent;
  if (call?.type !== 'call_expression') return false;
  const member = memberCallOf(call);
  if (member && syntax.memberStores.has(member.name)) {
    return argumentList.namedChildren[0]?.id === value.id && [...STATUS_FIELDS].some((field) => new RegExp(`\\b${field}\\b`).test(member.receiver.text));
  }
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'identifier' || !STORE_BUILTINS.has(callee.text)) return false;
  const [target, stored] = argumentList.namedChildren;
  return stored?.id === value.id && target !== undefined && isStatusAccess(target);
}

/** `x | TP_STATUS_USER`, `s |= TP_STATUS_USER`, `h->tp_status = … TP_STATUS_USER …`: the kernel's side of the ring. */
function publishesUserBit(node: SyntaxNode): boolean {
  const operator = node.childForFieldName('operator')?.type;
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const isUserBit = (side: SyntaxNode | null): boolean => side?.type === 'identifier' && side.text === USER_BIT;
  if (node.type === 'binary_expression') return operator === '|' && (isUserBit(left) || isUserBit(right));
  if (operator === '|=') return isUserBit(right);
  return operator === '=' && left !== null && isStatusAccess(left) && /\bTP_STATUS_USER\b/.test(right?.text ?? '');
}
