/**
 * The C front end of the status-word model: evaluates expressions of one function to status values
 * (sources and propagation), and reports every ownership test and slot hand-back it meets
 * (decisions). Function-like macros and helper functions are followed by evaluating their bodies
 * with the caller's arguments bound to their parameters.
 */
import { comparedOperands, equalityDecision, handsBack, looksOwnedWhenTrue, maskEffect, maskedValue, truthinessDecision } from '../model/ownership.js';
import { comparisonForm, type DecisionForm, type DecisionShape, type SourceRange } from '../model/decision-shape.js';
import type { EvaluationSink as GenericEvaluationSink } from '../model/evaluation-events.js';
import {
  bindArguments, bindLocal, enter, evaluateBody, evaluateReturn, nestedFrame, recordDecision, recordRelease, topFrame,
  type EvaluationFrame, type Place,
} from '../model/evaluation-frame.js';
import { helperOrigin, macroOrigin, readOrigin } from '../model/finding-messages.js';
import { HelperSummaries, inlineEach, joinValues } from '../model/helper-summary.js';
import type { Decision, RingWord, StatusConstant, StatusValue } from '../model/status-value.js';
import { BARRIER_CALLS, STATUS_FIELDS } from './function-facts.js';
import { isRingBlockPath } from './ring-words.js';
import { parseMacroBody } from './macro-body.js';
import { LOAD_BUILTINS, STORE_BUILTINS } from './ordered-access.js';
import type { SyntaxNode } from './parser.js';
import {
  declaredName, definitionTree, scopeNames, spanIn,
  type CallerScope, type CProgram, type FunctionDefinition, type MacroDefinition, type ParsedUnit, type Placement, type TypeName,
} from './program.js';
import { C_VOCABULARY, RX_STATUS_CONSTANTS, TX_STATUS_CONSTANTS, USER_BIT, wordNamedBy } from '../model/status-vocabulary.js';
import { parseIntegerLiteral } from './status-constants.js';
import { declaredType } from './declared-type.js';
import { callArguments, callName, isCast, liveChildren, memberCallOf, nameOf, operatorOf, unwrap } from './tree-walk.js';

export { NestingTooDeep } from '../model/evaluation-frame.js';

type EvaluationSink = GenericEvaluationSink<SyntaxNode>;

/** Where the nodes being evaluated live, and on whose behalf. */
interface Frame extends EvaluationFrame<SyntaxNode> {
  unit: ParsedUnit;
  placement: Placement;
  sawBarrier: boolean;
  /** The class and namespace of the function evaluated (C++): its unqualified calls prefer that class's members. */
  scope: CallerScope;
  /** Lambdas held by the function's locals (C++), inlined where they are called by name. */
  lambdas: Map<string, SyntaxNode>;
  /** The function returns `bool`: a status word returned is tested for truth at the return. */
  returnsBool: boolean;
}

/** The model's frame and C's own fields, as one literal: spreading the one into the other costs a measurable share of the evaluation. */
function cFrame(
  base: EvaluationFrame<SyntaxNode>, unit: ParsedUnit, placement: Placement, scope: CallerScope, lambdas: Map<string, SyntaxNode>, returnsBool: boolean,
): Frame {
  const { env, bindings, site, via, depth, sink, txOnly, helperReturnsOnly, inReturn, returned } = base;
  return { env, bindings, site, via, depth, sink, txOnly, helperReturnsOnly, inReturn, returned, unit, placement, sawBarrier: false, scope, lambdas, returnsBool };
}

/** A function inlined at a call: a helper's definition, or a lambda a local holds (C++); its frame's unit, placement, scope and returnsBool. */
interface Callable extends Pick<Frame, 'unit' | 'placement' | 'scope' | 'returnsBool'> {
  /** What the recursion guard knows it by. */
  key: object;
  name: string;
  /** Where its origin (the related place) points. */
  node: SyntaxNode;
  params: readonly string[];
  body: SyntaxNode | null;
}

/** GCC's and C11's orders, and C++'s (`std::memory_order_acquire`, `std::memory_order::acquire`): stronger than relaxed. */
const STRONG_ORDERS = /^(__ATOMIC_(ACQUIRE|SEQ_CST|ACQ_REL|RELEASE|CONSUME)|(std::)?memory_order(_|::)(acquire|seq_cst|acq_rel|release|consume))$/;

function isSyncBuiltin(name: string): boolean {
  return name.startsWith('__sync_') && name !== '__sync_synchronize';
}

function isStrongOrder(order: SyntaxNode | undefined): boolean {
  return order !== undefined && STRONG_ORDERS.test(order.text.trim());
}

/** A word loaded, acquiring when `acquire` says (a decision, or nothing, as it is). */
function acquired(loaded: StatusValue | undefined, acquire: boolean): StatusValue | undefined {
  return !loaded || loaded.kind === 'decision' ? loaded : { ...loaded, acquire: loaded.acquire || acquire };
}

/** Operators that bind looser than `&`: such an operand needs parentheses before `& TP_STATUS_USER`. */
const LOOSER_THAN_AND = new Set(['^', '|', '&&', '||']);

function shapeOf(form: DecisionForm, test: SyntaxNode, operand: SyntaxNode, placement: Placement): DecisionShape {
  const needsParentheses =
    ['conditional_expression', 'assignment_expression', 'comma_expression'].includes(operand.type) ||
    (operand.type === 'binary_expression' && LOOSER_THAN_AND.has(operatorOf(operand) ?? ''));
  // Through a macro body's placement when it has one. tree-sitter parses JavaScript strings as
  // UTF-16: its columns count code units, not bytes.
  const rangeAt = (node: SyntaxNode): SourceRange => ({ file: placement.file, ...spanIn(node, placement), columnsInBytes: false });
  return { form, test: rangeAt(test), operand: rangeAt(operand), operandNeedsParentheses: needsParentheses };
}

/** `if (s)` tests the parenthesised condition (C++'s condition clause); the operand is what is inside the parentheses. */
function truthOperand(node: SyntaxNode): SyntaxNode {
  if (node.type === 'condition_clause') return node.childForFieldName('value') ?? node;
  const inner = node.type === 'parenthesized_expression' ? node.namedChildren.filter((child) => child.type !== 'comment') : [];
  return inner.length === 1 ? inner[0]! : node; // length checked
}

/** Where a node starts, as an origin's place. */
function placeOf(node: SyntaxNode, placement: Placement): Place {
  const { line, column } = spanIn(node, placement);
  return { file: placement.file, line, column };
}

export class CEvaluator {
  private readonly helperStack = new Set<object>();
  private readonly macroStack = new Set<MacroDefinition>();
  private readonly summaries = new HelperSummaries<FunctionDefinition, SyntaxNode>((helper, sink) => {
    const frame = this.topFrame(helper, new Map(), sink, false);
    return this.inlineWithBindings(definitionTree(helper, helper.unit.text), [this.helperCallable(helper)], [], frame);
  });

  constructor(private readonly program: CProgram) {}

  /** Evaluates a function body: local copies first (silently, twice for copies of copies), then the decisions. */
  evaluateFunction(definition: FunctionDefinition, body: SyntaxNode, sink: EvaluationSink, txOnly: boolean): void {
    const env = new Map<string, StatusValue>();
    evaluateBody((passSink) => this.topFrame(definition, env, passSink, txOnly), sink, (frame) => this.walk(body, frame));
  }

  /** The frame of a function evaluated on its own: its class and namespace are the scope its calls are resolved from. */
  private topFrame(definition: FunctionDefinition, env: Map<string, StatusValue>, sink: EvaluationSink, txOnly: boolean): Frame {
    return cFrame(topFrame(env, sink, txOnly), definition.unit, definition.unit.placement, definition, new Map(), definition.returnsBool);
  }

  // ---- statements -------------------------------------------------------------------------

  private walk(node: SyntaxNode, frame: Frame): void {
    enter(node, frame);
    try {
      this.walkNode(node, frame);
    } finally {
      frame.depth--;
    }
  }

  private walkNode(node: SyntaxNode, frame: Frame): void {
    switch (node.type) {
      case 'if_statement':
      case 'while_statement':
      case 'do_statement': {
        const condition = node.childForFieldName('condition');
        if (condition) this.truth(condition, frame);
        for (const child of liveChildren(node)) if (child.id !== condition?.id) this.walk(child, frame);
        return;
      }
      case 'for_statement': {
        const condition = node.childForFieldName('condition');
        for (const child of liveChildren(node)) {
          if (child.id === condition?.id) this.truth(child, frame);
          else this.walk(child, frame);
        }
        return;
      }
      case 'switch_statement':
        this.switchStatement(node, frame);
        return;
      case 'return_statement': {
        const value = node.namedChild(0);
        // `bool ready() { return h->tp_status; }` converts the word to bool: a truth test, made here.
        if (value) evaluateReturn(frame, () => (frame.returnsBool ? this.truth(value, frame) : this.value(value, frame)));
        return;
      }
      case 'declaration':
        this.declaration(node, frame);
        return;
      case 'expression_statement':
      case 'parenthesized_expression':
        for (const child of liveChildren(node)) this.value(child, frame);
        return;
      default:
        // A comment has no children: nothing to walk.
        if (EXPRESSION_TYPES.has(node.type)) {
          this.value(node, frame);
          return;
        }
        for (const child of liveChildren(node)) this.walk(child, frame);
    }
  }

  /** `T x = v;`, and C++'s `T x(v);`, `T x{v};`, `auto f = [](…) {…};` and a condition's `auto x = v`. */
  private declaration(node: SyntaxNode, frame: Frame): void {
    const conditionValue = node.childForFieldName('value');
    const declarators = conditionValue ? [node] : node.childrenForFieldName('declarator').filter((declarator) => declarator.type === 'init_declarator');
    for (const declarator of declarators) {
      const name = declaredName(declarator.childForFieldName('declarator'));
      let initial = declarator.childForFieldName('value');
      if (!initial) continue;
      // A lambda is evaluated where it is called by name; one never called so is walked where it stands.
      if (initial.type === 'lambda_expression' && name && this.calledByName(name, node)) {
        frame.lambdas.set(name, initial);
        continue;
      }
      if ((initial.type === 'argument_list' || initial.type === 'initializer_list') && initial.namedChildCount === 1) initial = initial.namedChild(0)!; // count checked
      const value = this.value(initial, frame);
      if (name) bindLocal(name, value, frame);
    }
  }

  /** Whether the function around `declaration` calls `name(…)` after it. */
  private calledByName(name: string, declaration: SyntaxNode): boolean {
    let scope: SyntaxNode | null = declaration.parent;
    while (scope && scope.type !== 'compound_statement') scope = scope.parent;
    return scope !== null && new RegExp(`\\b${name}\\s*\\(`).test(scope.text.slice(declaration.endIndex - scope.startIndex));
  }

  private switchStatement(node: SyntaxNode, frame: Frame): void {
    const condition = node.childForFieldName('condition');
    const body = node.childForFieldName('body');
    if (!condition || !body) return;
    const evaluated = this.value(condition, frame);
    for (const child of liveChildren(body)) {
      const caseValue = child.type === 'case_statement' ? child.childForFieldName('value') : null;
      const constant = caseValue ? this.constant(caseValue, frame) : undefined;
      const switched = evaluated ?? (constant ? this.inferredWord(condition, constant, frame) : undefined);
      if (switched && caseValue && constant) {
        const decision = equalityDecision(switched, constant, 'case', frame.txOnly);
        if (decision) this.record(decision, caseValue, frame, undefined);
      }
      this.walk(child, frame);
    }
  }

  // ---- expressions ------------------------------------------------------------------------

  /** Evaluates an expression used as a condition; the result is the decision it made, if any. */
  private truth(node: SyntaxNode, frame: Frame): StatusValue | undefined {
    const result = this.value(node, frame);
    if (!result || result.kind === 'decision') return result;
    const decision = truthinessDecision(result, frame.txOnly);
    if (!decision) return undefined;
    // `if (auto s = h->tp_status)` tests what it declares: rewriting the test would change `s`.
    const declares = node.type === 'condition_clause' && node.childForFieldName('value')?.type === 'declaration';
    return this.record(decision, node, frame, true, declares ? undefined : shapeOf('truthy', node, truthOperand(node), frame.placement));
  }

  private value(node: SyntaxNode, frame: Frame): StatusValue | undefined {
    enter(node, frame);
    try {
      return this.valueOf(node, frame);
    } finally {
      frame.depth--;
    }
  }

  private valueOf(node: SyntaxNode, frame: Frame): StatusValue | undefined {
    switch (node.type) {
      case 'parenthesized_expression':
      case 'comma_expression': {
        let last: StatusValue | undefined;
        for (const child of liveChildren(node)) last = this.value(child, frame);
        return last;
      }
      case 'cast_expression':
      case 'pointer_expression': {
        // `*&x`, `&h->tp_status`, `*(volatile __u32 *)&h->tp_status`: the same word.
        const inner = node.childForFieldName(node.type === 'cast_expression' ? 'value' : 'argument');
        return inner ? this.value(inner, frame) : undefined;
      }
      case 'identifier':
        if (frame.bindings?.has(node.text)) return frame.bindings.get(node.text);
        return frame.env.get(node.text);
      case 'field_expression':
        return this.fieldRead(node, frame);
      case 'call_expression':
        return this.call(node, frame);
      case 'binary_expression':
        return this.binary(node, frame);
      case 'unary_expression': {
        const operand = node.childForFieldName('argument');
        if (!operand) return undefined;
        if (operatorOf(node) === '!') return this.truth(operand, frame);
        this.value(operand, frame);
        return undefined;
      }
      case 'conditional_expression': {
        const condition = node.childForFieldName('condition');
        if (condition) this.truth(condition, frame);
        const whenTrue = node.childForFieldName('consequence');
        const whenFalse = node.childForFieldName('alternative');
        const a = whenTrue ? this.value(whenTrue, frame) : undefined;
        const b = whenFalse ? this.value(whenFalse, frame) : undefined;
        return joinValues(a, b);
      }
      case 'assignment_expression':
        return this.assignment(node, frame);
      case 'compound_statement':
        // GNU statement expressions `({ …; value; })` and do/while macro bodies.
        for (const child of liveChildren(node)) this.walk(child, frame);
        return undefined;
      case 'condition_clause': {
        // C++: `if (init; value)`, `if (auto s = h->tp_status)`.
        const initializer = node.childForFieldName('initializer');
        if (initializer) this.walk(initializer, frame);
        const value = node.childForFieldName('value');
        if (value?.type === 'declaration') {
          this.declaration(value, frame);
          const name = declaredName(value.childForFieldName('declarator'));
          return name ? frame.env.get(name) : undefined;
        }
        return value ? this.value(value, frame) : undefined;
      }
      case 'lambda_expression': {
        // Walked where it stands (an argument, say): its returns are its own, not the function's.
        const body = node.childForFieldName('body');
        if (body) this.walk(body, { ...frame, inReturn: false, returned: [] });
        return undefined;
      }
      default:
        for (const child of liveChildren(node)) {
          if (EXPRESSION_TYPES.has(child.type)) this.value(child, frame);
          else this.walk(child, frame);
        }
        return undefined;
    }
  }

  private fieldRead(node: SyntaxNode, frame: Frame): StatusValue | undefined {
    const field = node.childForFieldName('field')?.text;
    const base = node.childForFieldName('argument');
    if (base) this.value(base, frame);
    if (!field || !STATUS_FIELDS.has(field)) return undefined;
    const block = C_VOCABULARY.blockFields.includes(field);
    if (block && !isRingBlockPath(node)) return undefined;
    const word: RingWord = block ? 'block' : 'frame';
    const read = readOrigin(placeOf(node, frame.placement), `the ${field} read`);
    return { kind: 'word', word, read, via: [...frame.via], acquire: false };
  }

  private binary(node: SyntaxNode, frame: Frame): StatusValue | undefined {
    const operator = operatorOf(node);
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || !right) return undefined;
    switch (operator) {
      case '==':
      case '!=':
        return this.equality(node, left, right, operator, frame);
      case '&&':
      case '||':
        this.truth(left, frame);
        this.truth(right, frame);
        return undefined;
      case '&': {
        const a = this.value(left, frame);
        const b = this.value(right, frame);
        return maskedValue(a, b, (maskOnRight) => this.mask(maskOnRight ? right : left, frame));
      }
      default:
        this.value(left, frame);
        this.value(right, frame);
        return undefined;
    }
  }

  private mask(node: SyntaxNode, frame: Frame): ReturnType<typeof maskEffect> {
    const bare = unwrap(node);
    if (bare.type === 'unary_expression' && operatorOf(bare) === '~') {
      const inner = bare.childForFieldName('argument');
      return maskEffect(inner ? this.constant(inner, frame)?.value : undefined, true);
    }
    return maskEffect(this.constant(bare, frame)?.value, false);
  }

  private equality(node: SyntaxNode, left: SyntaxNode, right: SyntaxNode, operator: '==' | '!=', frame: Frame): StatusValue | undefined {
    const a = this.value(left, frame);
    const b = this.value(right, frame);
    const compared = comparedOperands(a, b, left, right, (side) => this.constant(side, frame), (operand, constant) => this.inferredWord(operand, constant, frame));
    if (!compared) return undefined;
    const { value, constant, operand } = compared;
    const decision = equalityDecision(value, constant, operator, frame.txOnly);
    if (!decision) return undefined;
    const negated = operator === '!=';
    // A scoped enum's operand cannot be masked with TP_STATUS_USER: no mechanical fix.
    const shape = constant.scoped ? undefined : shapeOf(comparisonForm(constant.value, negated), node, operand, frame.placement);
    return this.record(decision, node, frame, looksOwnedWhenTrue(constant, negated), shape);
  }

  /** An operand compared with TP_STATUS_KERNEL or TP_STATUS_USER by name is taken to be the status word. */
  private inferredWord(operand: SyntaxNode, constant: StatusConstant, frame: Frame): StatusValue | undefined {
    if (constant.spelling !== 'TP_STATUS_KERNEL' && constant.spelling !== USER_BIT) return undefined;
    const bare = unwrap(operand);
    if (!['identifier', 'field_expression', 'subscript_expression', 'call_expression', 'pointer_expression'].includes(bare.type)) return undefined;
    if (this.constant(bare, frame)) return undefined;
    return {
      kind: 'word',
      word: wordNamedBy(bare.text),
      read: readOrigin(placeOf(bare, frame.placement), `the status value ${bare.text}`),
      via: [...frame.via],
      // How it was read is not visible, so ordering is not judged.
      acquire: true,
    };
  }

  private assignment(node: SyntaxNode, frame: Frame): StatusValue | undefined {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || !right) return undefined;
    const result = this.value(right, frame);
    const target = unwrap(left);
    if (target.type === 'identifier') {
      if (operatorOf(node) === '=') bindLocal(target.text, result, frame);
      return result;
    }
    const stored = this.value(left, frame);
    if (operatorOf(node) === '=' && stored?.kind === 'word') this.store(node, stored.word, right, false, frame);
    return result;
  }

  /** A store into the status word; storing TP_STATUS_KERNEL hands the slot back. */
  private store(site: SyntaxNode, word: RingWord, storedValue: SyntaxNode, ordered: boolean, frame: Frame): void {
    if (handsBack(this.constant(storedValue, frame), frame.txOnly)) recordRelease(site, word, ordered || frame.sawBarrier, frame);
  }

  // ---- calls ------------------------------------------------------------------------------

  private call(node: SyntaxNode, frame: Frame): StatusValue | undefined {
    const args = callArguments(node);
    const syntax = frame.unit.syntax;
    // C++'s casts, and views of the same word (`std::atomic_ref<uint32_t>(h->tp_status)`).
    if (isCast(node)) return args.length === 1 ? this.value(args[0]!, frame) : undefined; // length checked
    const member = syntax.memberFunctions ? memberCallOf(node) : undefined;
    if (member) return this.memberCall(node, member.receiver, member.name, args, frame);
    const name = callName(node);
    if (name && syntax.views.has(name) && args.length === 1) return this.value(args[0]!, frame); // length checked
    const lambda = name ? frame.lambdas.get(name) : undefined;
    if (name && lambda) {
      const argValues = args.map((argument) => this.value(argument, frame));
      return this.inlineWithBindings(node, [this.lambdaCallable(name, lambda, frame)], argValues, frame);
    }
    if (name && (LOAD_BUILTINS.has(name) || isSyncBuiltin(name))) return this.atomicLoad(name, args, frame);
    if (name && STORE_BUILTINS.has(name)) {
      this.atomicStore(node, name, args, frame);
      return undefined;
    }
    if (name && BARRIER_CALLS.has(name)) frame.sawBarrier = true;
    const argValues = args.map((argument) => this.value(argument, frame));
    if (!name || !this.mayCarry(name, argValues)) return undefined;
    const macros = this.program.macroDefinitions(name, frame.unit).filter((macro) => macro.params !== null);
    if (macros.length > 0) return this.expandMacros(node, macros, argValues, frame);
    return this.inlineHelpers(node, name, this.program.functionDefinitions(name, frame.unit, qualifyingScope(node, frame.scope) ?? frame.scope), argValues, frame);
  }

  /** Whether the callee or its arguments touch the status word: else there is nothing to follow. */
  private mayCarry(name: string, argValues: (StatusValue | undefined)[]): boolean {
    return this.program.carriers().has(name) || argValues.some((argument) => argument !== undefined);
  }

  /**
   * `r.f(…)`, `p->f(…)`, `this->f(…)` (C++): a load or store of the word (`std::atomic<T>` and
   * `std::atomic_ref<T>` members; without an order argument they are sequentially consistent), or
   * a member function of a class in the scan, followed like a helper.
   */
  private memberCall(node: SyntaxNode, receiver: SyntaxNode, name: string, args: SyntaxNode[], frame: Frame): StatusValue | undefined {
    const { memberLoads, memberStores } = frame.unit.syntax;
    if (memberLoads.has(name) || memberStores.has(name)) {
      for (const argument of args) this.value(argument, frame);
      const word = this.value(receiver, frame);
      // `load(order)`, `store(value, order)`.
      const [first, second] = args;
      if (memberLoads.has(name)) return acquired(word, first === undefined || isStrongOrder(first));
      if (word?.kind === 'word' && first) this.store(node, word.word, first, second === undefined || isStrongOrder(second), frame);
      return undefined;
    }
    this.value(receiver, frame);
    const argValues = args.map((argument) => this.value(argument, frame));
    if (!this.mayCarry(name, argValues)) return undefined;
    return this.inlineHelpers(node, name, this.program.memberDefinitions(name, this.receiverClass(receiver, frame), frame.scope.namespace, frame.unit), argValues, frame);
  }

  /**
   * The class of the object a member function is called on, when the code says: `this`, a local or
   * parameter of the function, or a member of the class evaluated. Undefined when it does not (`auto`).
   */
  private receiverClass(receiver: SyntaxNode, frame: Frame): TypeName | undefined {
    const bare = unwrap(receiver);
    const { className, namespace } = frame.scope;
    if (bare.type === 'this') return className === undefined ? undefined : { name: className, qualifier: namespace };
    if (bare.type !== 'identifier') return undefined;
    const type = declaredType(bare.text, bare) ?? (className ? this.memberType(className, bare.text) : undefined);
    return type ? classOfType(type) : undefined;
  }

  /** The declared type of a data member `name` of class `className`, where the class is defined in the scan. */
  private memberType(className: string, name: string): SyntaxNode | undefined {
    for (const body of this.program.classBodies(className)) {
      for (const field of body.namedChildren) {
        if (field.type === 'field_declaration' && field.childrenForFieldName('declarator').some((declarator) => declaredName(declarator) === name)) {
          return field.childForFieldName('type') ?? undefined;
        }
      }
    }
    return undefined;
  }

  private lambdaCallable(name: string, lambda: SyntaxNode, frame: Frame): Callable {
    const parameters = lambda.childForFieldName('declarator')?.childForFieldName('parameters')?.namedChildren ?? [];
    return {
      key: lambda, name, unit: frame.unit, placement: frame.placement, node: lambda,
      params: parameters.map((parameter) => declaredName(parameter.childForFieldName('declarator')) ?? ''),
      body: lambda.childForFieldName('body'), scope: frame.scope, returnsBool: false,
    };
  }

  private atomicLoad(name: string, args: SyntaxNode[], frame: Frame): StatusValue | undefined {
    const [source, second, third] = args;
    for (const argument of args.slice(1)) this.value(argument, frame);
    const order = name === '__atomic_load' ? third : second;
    const acquire = name === 'smp_load_acquire' || name === 'load_acquire' || isSyncBuiltin(name) || name === 'atomic_load' || isStrongOrder(order);
    const result = acquired(source ? this.value(source, frame) : undefined, acquire);
    // `__atomic_load(&h->tp_status, &out, order)` delivers into its second argument (bindLocal binds no decision).
    if (name === '__atomic_load' && second) {
      const target = unwrap(second);
      const inner = target.type === 'pointer_expression' ? target.childForFieldName('argument') : target;
      if (inner?.type === 'identifier') bindLocal(inner.text, result, frame);
    }
    return result;
  }

  private atomicStore(site: SyntaxNode, name: string, args: SyntaxNode[], frame: Frame): void {
    const [target, stored, order] = args;
    for (const argument of args.slice(1)) this.value(argument, frame);
    const word = target ? this.value(target, frame) : undefined;
    if (!word || word.kind !== 'word' || !stored) return;
    this.store(site, word.word, stored, name === 'smp_store_release' || name === 'store_release' || name === 'atomic_store' || isStrongOrder(order), frame);
  }

  private expandMacros(call: SyntaxNode, macros: MacroDefinition[], argValues: (StatusValue | undefined)[], frame: Frame): StatusValue | undefined {
    return inlineEach(macros, this.macroStack, (macro) => macro, false, (macro) => {
      const body = parseMacroBody(macro);
      if (!body) return [];
      const origin = macroOrigin(placeOf(macro.node, macro.unit.placement), macro.name);
      const bindings = bindArguments(macro.params!, argValues); // params checked by the caller's filter
      // A macro expands into the function around it.
      const inner = cFrame(nestedFrame(frame, call, bindings, origin, false), macro.unit, body.placement, frame.scope, frame.lambdas, frame.returnsBool);
      return [markOrdered(this.value(body.root, inner), inner.sawBarrier)];
    });
  }

  /** A call of `name` that may carry the word, to `helpers`; none: a callee outside the scan, noted when it is handed the word. */
  private inlineHelpers(call: SyntaxNode, name: string, helpers: FunctionDefinition[], argValues: (StatusValue | undefined)[], frame: Frame): StatusValue | undefined {
    if (helpers.length === 0) {
      if (argValues.some((argument) => argument !== undefined)) this.program.unresolvedStatusCallees.add(name);
      return undefined;
    }
    if (argValues.every((argument) => argument === undefined)) return this.summaries.replay(helpers, call, frame);
    return this.inlineWithBindings(call, helpers.map((helper) => this.helperCallable(helper)), argValues, frame);
  }

  private helperCallable(helper: FunctionDefinition): Callable {
    const tree = definitionTree(helper, helper.unit.text);
    return {
      // A member function is named with its class, as C++ code names it outside the class.
      key: helper, name: helper.className === undefined ? helper.name : `${helper.className}::${helper.name}`,
      unit: helper.unit, placement: helper.unit.placement, node: helper.node,
      params: helper.params, body: tree.childForFieldName('body'), scope: helper,
      returnsBool: helper.returnsBool,
    };
  }

  /** Whether calling `helper` yields the status word or an ownership decision. */
  returnsStatus(helper: FunctionDefinition): boolean {
    const summary = this.summaries.of(helper);
    return summary.returned !== undefined || summary.decisions.length > 0;
  }

  private inlineWithBindings(call: SyntaxNode, helpers: readonly Callable[], argValues: (StatusValue | undefined)[], frame: Frame): StatusValue | undefined {
    return inlineEach(helpers, this.helperStack, (helper) => helper.key, true, (helper) => {
      const { body } = helper;
      if (!body) return [];
      const bindings = bindArguments(helper.params, argValues);
      const origin = helperOrigin(placeOf(helper.node, helper.placement), helper.name);
      const env = new Map<string, StatusValue>();
      const lambdas = new Map<string, SyntaxNode>();
      const inner = evaluateBody(
        (sink) => cFrame(nestedFrame(frame, call, bindings, origin, true, env, sink), helper.unit, helper.placement, helper.scope, lambdas, helper.returnsBool),
        frame.sink, (pass) => this.walk(body, pass),
      );
      return inner.returned.map((returned) => markOrdered(returned, inner.sawBarrier));
    });
  }

  // ---- constants and reporting ------------------------------------------------------------

  /** What a constant operand means: TP_STATUS_* by name, literals, and `#define` aliases of them. */
  constant(node: SyntaxNode, frame: Frame, depth = 0): StatusConstant | undefined {
    const bare = unwrap(node);
    const spelling = bare.text;
    if (bare.type === 'number_literal') {
      const value = parseIntegerLiteral(spelling);
      return value === undefined ? undefined : { value, spelling, tx: false };
    }
    if (bare.type === 'binary_expression' && operatorOf(bare) === '|') {
      const left = bare.childForFieldName('left');
      const right = bare.childForFieldName('right');
      const a = left ? this.constant(left, frame, depth + 1) : undefined;
      const b = right ? this.constant(right, frame, depth + 1) : undefined;
      return a && b ? { value: a.value | b.value, spelling, tx: a.tx || b.tx } : undefined;
    }
    // C++ names constants by scope too: `Slot::Kernel`, `::TP_STATUS_USER`.
    const name = bare.type === 'identifier' ? spelling : bare.type === 'qualified_identifier' ? nameOf(bare) : undefined;
    if (name === undefined || depth > 8) return undefined;
    const rx = RX_STATUS_CONSTANTS.get(name);
    if (rx !== undefined) return { value: rx, spelling, tx: false };
    const tx = TX_STATUS_CONSTANTS.get(name);
    if (tx !== undefined) return { value: tx, spelling, tx: true };
    for (const macro of bare.type === 'identifier' ? this.program.macroDefinitions(name, frame.unit) : []) {
      if (macro.params !== null) continue;
      const body = parseMacroBody(macro);
      const aliased = body ? this.constant(body.root, { ...frame, unit: macro.unit }, depth + 1) : undefined;
      if (aliased) return { ...aliased, spelling };
    }
    // `static const unsigned KERNEL = 0;`, C++'s `constexpr`, enumerators.
    for (const named of this.program.namedConstants(name, frame.unit)) {
      const scoped = named.scoped ? { scoped: true } : {};
      if (typeof named.value === 'number') return { value: named.value, spelling, tx: false, ...scoped };
      const aliased = this.constant(named.value, { ...frame, unit: named.unit }, depth + 1);
      if (aliased) return { ...aliased, spelling, ...scoped };
    }
    return undefined;
  }

  private record(decision: Decision, node: SyntaxNode, frame: Frame, looksOwnedWhenTrue: boolean | undefined, shape?: DecisionShape): StatusValue {
    return recordDecision(decision, node, () => placeOf(node, frame.placement), frame, looksOwnedWhenTrue, shape);
  }
}

function markOrdered(value: StatusValue | undefined, ordered: boolean): StatusValue | undefined {
  if (!value || !ordered) return value;
  if (value.kind !== 'decision') return acquired(value, true);
  return { kind: 'decision', decision: { ...value.decision, tested: { ...value.decision.tested, acquire: true } } };
}

const EXPRESSION_TYPES = new Set([
  'identifier', 'field_expression', 'call_expression', 'binary_expression', 'unary_expression',
  'conditional_expression', 'assignment_expression', 'comma_expression', 'cast_expression',
  'pointer_expression', 'parenthesized_expression', 'subscript_expression', 'update_expression',
  'sizeof_expression', 'number_literal', 'string_literal', 'char_literal', 'compound_literal_expression',
  'initializer_list', 'true', 'false', 'null', 'concatenated_string', 'gnu_asm_expression',
  'offsetof_expression', 'alignof_expression', 'generic_expression',
  // C++'s
  'qualified_identifier', 'this', 'lambda_expression', 'new_expression', 'delete_expression', 'nullptr',
  'raw_string_literal', 'user_defined_literal', 'condition_clause',
]);

/** `ns::R` of a call `ns::R::f(…)`: the class (or namespace) it names, looked up from the caller's namespace. */
function qualifyingScope(call: SyntaxNode, from: CallerScope): CallerScope | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'qualified_identifier') return undefined;
  const scopes = scopeNames(callee);
  const className = scopes.pop();
  return className === undefined ? undefined : { className, namespace: scopes.length > 0 ? scopes.join('::') : from.namespace };
}

/** The class a declared type names: `Block`, `st::Block`, `Ring<T>`, `struct tpacket_hdr`; none for `auto`. */
function classOfType(type: SyntaxNode): TypeName | undefined {
  switch (type.type) {
    case 'type_identifier':
    case 'primitive_type':
    case 'sized_type_specifier':
      return { name: type.text };
    case 'qualified_identifier': {
      // The name's own qualifier (`b` of `a::b::C`) is part of the whole one.
      const name = type.childForFieldName('name');
      const named = name ? classOfType(name) : undefined;
      return named && { name: named.name, qualifier: scopeNames(type).join('::') };
    }
    case 'template_type':
    case 'struct_specifier':
    case 'class_specifier':
    case 'union_specifier': {
      const name = type.childForFieldName('name')?.text;
      return name === undefined ? undefined : { name };
    }
    default:
      return undefined;
  }
}
