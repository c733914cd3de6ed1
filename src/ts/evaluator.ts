/**
 * The TypeScript/JavaScript front end of the status-word model: evaluates the expressions of one
 * function to status values (sources and propagation) and reports every ownership test and slot
 * hand-back it meets (decisions), as the C evaluator does. Helpers, methods and getters are followed
 * through the type checker's symbol resolution, also into other files, by evaluating their bodies
 * with the caller's arguments bound to their parameters.
 */
import type { ts } from 'ts-morph';
import { AUTOFIXED_RULES } from '../rules/catalog.js';
import { comparedOperands, equalityDecision, handsBack, looksOwnedWhenTrue, maskEffect, maskedValue, truthinessDecision } from '../model/ownership.js';
import { comparisonForm, type DecisionShape } from '../model/decision-shape.js';
import {
  SILENT_SINK,
  type DecisionEvent as GenericDecisionEvent,
  type EvaluationSink as GenericEvaluationSink,
  type ReleaseEvent as GenericReleaseEvent,
} from '../model/evaluation-events.js';
import {
  bindArguments, bindLocal, enter, evaluateBody, evaluateReturn, nestedFrame, recordDecision, recordRelease, topFrame,
  type EvaluationFrame, type Place,
} from '../model/evaluation-frame.js';
import { helperOrigin, readOrigin } from '../model/finding-messages.js';
import { wordNamedBy } from '../model/status-vocabulary.js';
import { HelperSummaries, inlineEach, joinValues } from '../model/helper-summary.js';
import type { Decision, RingWord, StatusValue } from '../model/status-value.js';
import { comparisonShape, truthShape } from './decision-shape.js';
import { declarationOf, isConstDeclaration, skipParentheses, type ResolvedConstant, type StatusConstants } from './status-constants.js';
import { fieldRead, inRingBlock, isStatusName, memberWord, memoryRead, memoryStore, tupleLabel, type MemoryAccess, type StatusStore } from './status-reads.js';
import { bindingRoot, boundStatusNames, calleeName, isFunctionLike, nameOf, type CallIndex, type FunctionLike } from './function-units.js';
import type { TypeScriptApi } from './typescript-api.js';

/** Where a module names the USER bit nowhere, a fix writes it as a number it cannot leave undefined. */
const UNNAMED_USER_BIT = '1 /* TP_STATUS_USER */';

export type DecisionEvent = GenericDecisionEvent<ts.Node>;
export type ReleaseEvent = GenericReleaseEvent<ts.Node>;
export type EvaluationSink = GenericEvaluationSink<ts.Node>;

type Frame = EvaluationFrame<ts.Node>;

export interface EvaluatorHost {
  /** The compiler API of the program the nodes come from. */
  ts: TypeScriptApi;
  checker: ts.TypeChecker;
  constants: StatusConstants;
  index: CallIndex;
  /** The display path for origins; files outside the analysed set get a cwd-relative path. */
  displayPath(file: ts.SourceFile): string;
}

export class TsEvaluator {
  private readonly helperStack = new Set<FunctionLike>();
  private readonly summaries = new HelperSummaries<FunctionLike, ts.Node>((helper, sink) => this.inlineWithBindings(helper, [helper], [], topFrame(new Map(), sink, false)));

  constructor(private readonly host: EvaluatorHost) {}

  /** Evaluates a unit: local copies first (silently, twice for copies of copies), then the decisions. */
  evaluateUnit(body: ts.Node, sink: EvaluationSink, txOnly: boolean): void {
    const env = new Map<string, StatusValue>();
    evaluateBody((passSink) => topFrame(env, passSink, txOnly), sink, (frame) => this.walkBody(body, frame));
  }

  /** A block body is walked; an arrow's expression body is what it returns. */
  private walkBody(body: ts.Node, frame: Frame): void {
    const { ts } = this.host;
    if (ts.isExpression(body)) this.returnValue(body, frame);
    else this.walk(body, frame);
  }

  // ---- statements -------------------------------------------------------------------------

  private walk(node: ts.Node, frame: Frame): void {
    const { ts } = this.host;
    // Nested functions are units of their own.
    if (isFunctionLike(ts, node) || ts.isClassLike(node)) return;
    enter(node, frame);
    try {
      this.walkNode(node, frame);
    } finally {
      frame.depth--;
    }
  }

  private walkNode(node: ts.Node, frame: Frame): void {
    const { ts } = this.host;
    if (ts.isDoStatement(node)) {
      this.truth(node.expression, frame);
      this.walk(node.statement, frame);
      return;
    }
    if (ts.isIfStatement(node) || ts.isWhileStatement(node) || ts.isForStatement(node)) {
      // In source order, the condition tested for its truth.
      const condition = ts.isForStatement(node) ? node.condition : node.expression;
      ts.forEachChild(node, (child) => {
        if (child === condition) this.truth(condition, frame);
        else this.walk(child, frame);
      });
      return;
    }
    if (ts.isSwitchStatement(node)) {
      this.switchStatement(node, frame);
      return;
    }
    if (ts.isReturnStatement(node)) {
      if (node.expression) this.returnValue(node.expression, frame);
      return;
    }
    if (ts.isVariableDeclaration(node)) {
      // `for (const { tp_status } of headers)` destructures without an initializer.
      if (!ts.isIdentifier(node.name)) this.destructure(node.name, frame);
      if (!node.initializer) return;
      const result = this.value(node.initializer, frame);
      if (ts.isIdentifier(node.name)) this.assignLocal(node.name.text, node.initializer, result, frame);
      return;
    }
    if (ts.isExpression(node)) {
      this.value(node, frame);
      return;
    }
    ts.forEachChild(node, (child) => this.walk(child, frame));
  }

  private returnValue(expression: ts.Expression, frame: Frame): void {
    // Returned as a boolean, or to a caller that tests it (`filter`'s callback): a truth test.
    evaluateReturn(frame, () => (returnsCondition(this.host.ts, expression) ? this.truth(expression, frame) : this.value(expression, frame)));
  }

  private switchStatement(node: ts.SwitchStatement, frame: Frame): void {
    const { ts } = this.host;
    const evaluated = this.value(node.expression, frame);
    for (const clause of node.caseBlock.clauses) {
      if (ts.isCaseClause(clause)) {
        const constant = this.host.constants.resolve(clause.expression);
        const switched = evaluated ?? (constant ? this.inferredWord(node.expression, constant, frame) : undefined);
        if (switched && constant) {
          const decision = equalityDecision(switched, constant, 'case', frame.txOnly);
          if (decision) this.record(decision, clause.expression, frame, undefined, this.switchShape(node, clause, decision));
        }
      }
      for (const statement of clause.statements) this.walk(statement, frame);
    }
  }

  /**
   * A switch whose cases are all KERNEL (0), USER (1) or `default` means the same on the USER bit
   * alone, `switch (s & TP_STATUS_USER)`: that is its fix, once for all its cases. Any other case
   * (`case TP_STATUS_USER | TP_STATUS_COPY:`) needs the switch restructured by hand.
   */
  private switchShape(node: ts.SwitchStatement, clause: ts.CaseClause, decision: Decision): DecisionShape {
    const { ts, constants } = this.host;
    const onUserBit = node.caseBlock.clauses.every((each) => {
      if (!ts.isCaseClause(each)) return true;
      const constant = constants.resolve(each.expression);
      return constant !== undefined && !constant.tx && (constant.value === 0 || constant.value === 1);
    });
    if (!onUserBit) return comparisonShape(ts, this.pathOf(clause), 'switch-case', clause.expression, node.expression);
    const userBit = this.userBitFor(decision, node.expression, clause.expression);
    return this.nullishAware(truthShape(ts, this.pathOf(node), node.expression, userBit), node.expression);
  }

  /**
   * Flow-insensitive on purpose, as in C: a variable that ever holds the status word is the status
   * word. A raw memory read stored in a status-named variable (`const status = view.getUint32(0)`)
   * is the status word by that name.
   */
  private assignLocal(name: string, initial: ts.Expression, result: StatusValue | undefined, frame: Frame): void {
    const { ts } = this.host;
    let value = result;
    if (!value && isStatusName(name)) {
      const raw = memoryRead(ts, skipParentheses(ts, initial), this.host.checker);
      // `const blockStatus = block.getUint32(8, true)`: the name says which word the offset reads.
      const word = raw && /block/i.test(name) ? 'block' : raw?.word;
      if (raw && word) value = this.word(initial, word, raw.atomic, frame, `the status word read into ${name}`);
    }
    bindLocal(name, value, frame);
  }

  /** `const { tp_status: s, hdr: { len } } = h`, `const [status] = header`: each bound name gets its member's value. */
  private destructure(pattern: ts.BindingPattern, frame: Frame): void {
    const { ts } = this.host;
    for (const element of pattern.elements) {
      if (!ts.isBindingElement(element)) continue;
      if (ts.isIdentifier(element.name)) bindLocal(element.name.text, this.boundValue(element, frame), frame);
      else this.destructure(element.name, frame);
    }
  }

  /**
   * The value a binding element takes from what it destructures: an object member judged as a
   * property read of that name would be (a field name, an enum type, a getter followed), or a
   * labelled tuple element. Parameters destructure the same way.
   */
  private boundValue(element: ts.BindingElement, frame: Frame): StatusValue | undefined {
    const { ts, checker, constants } = this.host;
    const pattern = element.parent;
    const patternType = (): ts.Type => checker.getTypeAtLocation(pattern);
    let member: string | undefined;
    if (ts.isObjectBindingPattern(pattern)) {
      const key = element.propertyName ?? element.name;
      member = ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : undefined;
      if (member === undefined) return undefined;
      const getter = this.host.index.carriers.has(member)
        ? checker.getPropertyOfType(patternType(), member)?.declarations?.find((declaration) => ts.isGetAccessorDeclaration(declaration))
        : undefined;
      if (getter && ts.isGetAccessorDeclaration(getter) && getter.body) {
        const followed = this.followHelpers(element, [getter], [], frame);
        if (followed) return followed;
      }
    } else {
      member = tupleLabel(ts, checker, patternType(), pattern.elements.indexOf(element));
      if (member === undefined) return undefined;
    }
    const name = member;
    // `const { hdr: { bh1: { block_status } } } = pbd`, or a pattern typed as a block descriptor.
    const holder = pattern.parent;
    const ringBlock = (): boolean => inRingBlock(ts, checker, pattern, ts.isBindingElement(holder) ? (holder.propertyName ?? holder.name) : undefined);
    const word = memberWord(ts, constants, name, () => checker.getTypeAtLocation(element), ringBlock);
    return word ? this.word(element, word, false, frame, `the ${name} read`) : undefined;
  }

  /**
   * A name the unit did not bind itself: a destructured parameter, or a `const` of an enclosing
   * function or the module that a closure captured (`const s = f.tpStatus; return () => s !== 0`).
   * Evaluated silently: its own decisions are its unit's.
   */
  private declaredValue(node: ts.Identifier, frame: Frame): StatusValue | undefined {
    const { ts, checker } = this.host;
    if (!boundStatusNames(ts, node.getSourceFile()).has(node.text)) return undefined;
    const declaration = checker.getSymbolAtLocation(node)?.valueDeclaration;
    if (!declaration || this.resolving.has(declaration)) return undefined;
    if (ts.isBindingElement(declaration)) {
      const parameter = ts.isParameter(bindingRoot(ts, declaration));
      if (!parameter && enclosingUnit(ts, declaration) === enclosingUnit(ts, node)) return undefined; // a local: in env when it holds the word
      // A parameter is read where this frame is; a captured binding where its own unit is.
      const at = parameter ? { ...frame, sink: SILENT_SINK } : { ...frame, sink: SILENT_SINK, via: [], site: undefined };
      return this.resolvingValue(declaration, () => this.boundValue(declaration, at));
    }
    if (!ts.isVariableDeclaration(declaration) || !declaration.initializer || !ts.isIdentifier(declaration.name)) return undefined;
    if (!isConstDeclaration(ts, declaration) || enclosingUnit(ts, declaration) === enclosingUnit(ts, node)) return undefined;
    const name = declaration.name.text;
    if (!this.capturedValues.has(declaration)) {
      this.capturedValues.set(declaration, this.resolvingValue(declaration, () => {
        // As its own unit binds it, in a frame of its own.
        const captured = topFrame(new Map(), SILENT_SINK, frame.txOnly);
        this.walk(declaration, captured);
        return captured.env.get(name);
      }));
    }
    return this.capturedValues.get(declaration);
  }

  /** A captured `const` means the same in every closure: evaluated once. */
  private readonly capturedValues = new Map<ts.VariableDeclaration, StatusValue | undefined>();

  private readonly resolving = new Set<ts.Node>();

  private resolvingValue(declaration: ts.Node, evaluate: () => StatusValue | undefined): StatusValue | undefined {
    this.resolving.add(declaration);
    try {
      return evaluate();
    } finally {
      this.resolving.delete(declaration);
    }
  }

  // ---- expressions ------------------------------------------------------------------------

  /** Evaluates an expression used as a condition; the result is the decision it made, if any. */
  private truth(node: ts.Expression, frame: Frame): StatusValue | undefined {
    return this.truthOfValue(this.value(node, frame), node, frame);
  }

  /**
   * `node` used as a condition, its value already known. `testedAt` is the expression holding that
   * value, which a fix rewrites: the node itself, or for `xs.map((h) => h.tp_status).filter(Boolean)`
   * the callback's result.
   */
  private truthOfValue(result: StatusValue | undefined, node: ts.Expression, frame: Frame, testedAt: ts.Expression = node): StatusValue | undefined {
    const { ts } = this.host;
    if (!result || result.kind === 'decision') return result;
    const decision = truthinessDecision(result, frame.txOnly);
    if (!decision) return undefined;
    // `s as unknown as boolean`: the bit test goes inside the assertion, where `&` type-checks.
    const tested = withoutTypeAssertions(ts, testedAt);
    return this.record(decision, node, frame, true, this.nullishAware(truthShape(ts, this.pathOf(tested), tested, this.userBitFor(decision, tested)), tested));
  }

  private value(node: ts.Expression, frame: Frame): StatusValue | undefined {
    const { ts } = this.host;
    if (isFunctionLike(ts, node) || ts.isClassLike(node)) return undefined;
    enter(node, frame);
    try {
      return this.valueOf(node, frame);
    } finally {
      frame.depth--;
    }
  }

  private valueOf(node: ts.Expression, frame: Frame): StatusValue | undefined {
    const { ts } = this.host;
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) ||
      ts.isTypeAssertionExpression(node) || ts.isSatisfiesExpression(node)) {
      return this.value(node.expression, frame);
    }
    if (ts.isIdentifier(node)) {
      if (frame.bindings?.has(node.text)) return frame.bindings.get(node.text);
      return frame.env.get(node.text) ?? this.declaredValue(node, frame);
    }
    if (ts.isPropertyAccessExpression(node)) return this.propertyRead(node, frame);
    if (ts.isElementAccessExpression(node)) {
      this.value(node.expression, frame);
      this.value(node.argumentExpression, frame);
      return this.tiedRead(node, frame) ?? this.tupleElementRead(node, frame);
    }
    if (ts.isCallExpression(node)) return this.call(node, frame);
    if (ts.isBinaryExpression(node)) return this.binary(node, frame);
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) return this.truth(node.operand, frame);
    if (ts.isConditionalExpression(node)) {
      this.truth(node.condition, frame);
      return joinValues(this.value(node.whenTrue, frame), this.value(node.whenFalse, frame));
    }
    if (ts.isAwaitExpression(node)) return this.value(node.expression, frame);
    ts.forEachChild(node, (child) => {
      if (ts.isExpression(child)) this.value(child, frame);
      else this.walk(child, frame);
    });
    return undefined;
  }

  /** `h.tp_status`, a getter that returns the status word, or a member typed with a TP_STATUS enum. */
  private propertyRead(node: ts.PropertyAccessExpression, frame: Frame): StatusValue | undefined {
    const { ts } = this.host;
    this.value(node.expression, frame);
    const name = node.name.text;
    let acquire = false;
    if (this.host.index.carriers.has(name)) {
      const declaration = declarationOf(ts, this.host.checker, node.name);
      if (declaration && ts.isGetAccessorDeclaration(declaration) && declaration.body) {
        const result = this.followHelpers(node, [declaration], [], frame);
        if (result) return result;
        // A getter named after the field whose value we cannot follow: ordered if it uses Atomics.
        acquire = /\bAtomics\.load\b/.test(declaration.body.getText());
      }
    }
    const word = fieldRead(ts, node, this.host.checker, this.host.constants);
    return word ? this.word(node, word, acquire, frame, `the ${name} read`) : this.classFieldRead(node, frame);
  }

  /**
   * A class field (`this.#status`, `this.last`) that its class only ever fills from the status word
   * (`this.#status = this.#view.getUint32(TPACKET2_HDR.tp_status, true)`): reading it reads that word.
   */
  private classFieldRead(node: ts.PropertyAccessExpression, frame: Frame): StatusValue | undefined {
    const { ts, checker } = this.host;
    // A class reads its own fields through `this`; asking the checker about every other member read costs too much.
    if (node.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
    const declaration = declarationOf(ts, checker, node.name);
    if (!declaration || !ts.isPropertyDeclaration(declaration) || !ts.isClassLike(declaration.parent)) return undefined;
    if (!this.fieldSources.has(declaration)) this.fieldSources.set(declaration, this.fieldSource(declaration));
    const stored = this.fieldSources.get(declaration);
    return stored ? this.word(stored.node, stored.word, stored.atomic, frame, `the status word stored in ${node.name.text}`) : undefined;
  }

  /** DataView, Buffer, typed-array and Atomics reads whose offset, index or array names the status word. */
  private tiedRead(node: ts.Expression, frame: Frame): StatusValue | undefined {
    const { ts } = this.host;
    const access = memoryRead(ts, node, this.host.checker);
    if (!access?.tied) return undefined;
    return this.word(node, access.word, access.atomic, frame, `the status word read (${abbreviate(node.getText())})`);
  }

  private readonly fieldSources = new Map<ts.PropertyDeclaration, FieldSource | undefined>();

  /** The status read a field holds: every value stored in it besides constants (`#status = 0`) is one. */
  private fieldSource(declaration: ts.PropertyDeclaration): FieldSource | undefined {
    const { ts, checker, constants } = this.host;
    let source: FieldSource | undefined;
    for (const value of fieldStores(ts, declaration)) {
      if (constants.resolve(value)) continue;
      const bare = skipParentheses(ts, value);
      const raw = memoryRead(ts, bare, checker);
      const word = raw?.tied ? raw.word : ts.isPropertyAccessExpression(bare) ? fieldRead(ts, bare, checker, constants) : undefined;
      if (!word) return undefined;
      source ??= { node: bare, word, atomic: raw?.atomic ?? false };
    }
    return source;
  }

  /** `header[0]` of a `readonly [tp_status: number, …]` layout. */
  private tupleElementRead(node: ts.ElementAccessExpression, frame: Frame): StatusValue | undefined {
    const { ts, checker, constants } = this.host;
    const index = skipParentheses(ts, node.argumentExpression);
    if (!ts.isNumericLiteral(index)) return undefined;
    const label = tupleLabel(ts, checker, checker.getTypeAtLocation(node.expression), Number(index.text));
    if (label === undefined) return undefined;
    const word = memberWord(ts, constants, label, () => checker.getTypeAtLocation(node), () => false);
    return word ? this.word(node, word, false, frame, `the ${label} read`) : undefined;
  }

  private word(node: ts.Node, word: RingWord, acquire: boolean, frame: Frame, message: string): StatusValue {
    return { kind: 'word', word, read: readOrigin(this.place(node), message), via: [...frame.via], acquire };
  }

  private binary(node: ts.BinaryExpression, frame: Frame): StatusValue | undefined {
    const { ts } = this.host;
    const operator = node.operatorToken.kind;
    switch (operator) {
      case ts.SyntaxKind.EqualsEqualsEqualsToken:
      case ts.SyntaxKind.ExclamationEqualsEqualsToken:
      case ts.SyntaxKind.EqualsEqualsToken:
      case ts.SyntaxKind.ExclamationEqualsToken:
        return this.equality(node, frame);
      case ts.SyntaxKind.AmpersandAmpersandToken:
      case ts.SyntaxKind.BarBarToken:
        this.truth(node.left, frame);
        this.truth(node.right, frame);
        return undefined;
      case ts.SyntaxKind.AmpersandToken: {
        const a = this.value(node.left, frame);
        const b = this.value(node.right, frame);
        return maskedValue(a, b, (maskOnRight) => this.mask(maskOnRight ? node.right : node.left));
      }
      case ts.SyntaxKind.EqualsToken:
        return this.assignment(node, frame);
      case ts.SyntaxKind.CommaToken:
        this.value(node.left, frame);
        return this.value(node.right, frame);
      case ts.SyntaxKind.QuestionQuestionToken:
        // `s ?? 0` is `s` whenever there is one: not a test.
        return joinValues(this.value(node.left, frame), this.value(node.right, frame));
      default:
        this.value(node.left, frame);
        this.value(node.right, frame);
        return undefined;
    }
  }

  private mask(node: ts.Expression): ReturnType<typeof maskEffect> {
    const { ts } = this.host;
    const bare = skipParentheses(ts, node);
    const inverted = ts.isPrefixUnaryExpression(bare) && bare.operator === ts.SyntaxKind.TildeToken;
    return maskEffect(this.host.constants.resolve(inverted ? bare.operand : bare)?.value, inverted);
  }

  private equality(node: ts.BinaryExpression, frame: Frame): StatusValue | undefined {
    const { ts } = this.host;
    const a = this.value(node.left, frame);
    const b = this.value(node.right, frame);
    // `x === TP_STATUS_KERNEL` with no visible read (a value from an addon, a callback parameter): the constant's name says what `x` is.
    const resolve = (side: ts.Expression): ResolvedConstant | undefined => this.host.constants.resolve(side);
    const comparison = comparedOperands(a, b, node.left, node.right, resolve, (operand, constant) => this.inferredWord(operand, constant, frame));
    if (!comparison) return undefined;
    const { value, constant, operand, compared } = comparison;
    // binary() sends only the four equality operators here.
    const operator = ts.tokenToString(node.operatorToken.kind) as '==' | '!=' | '===' | '!==';
    const decision = equalityDecision(value, constant, operator, frame.txOnly);
    if (!decision) return undefined;
    const negated = operator === '!=' || operator === '!==';
    const form = comparisonForm(constant.value, negated);
    const shape = this.nullishAware(comparisonShape(ts, this.pathOf(node), form, node, operand, this.userBitFor(decision, node, compared)), operand);
    return this.record(decision, node, frame, looksOwnedWhenTrue(constant, negated), shape);
  }

  /** An operand compared with a TP_STATUS constant (by name or enum meaning) is taken to be the status word. */
  private inferredWord(operand: ts.Expression, constant: ResolvedConstant, frame: Frame): StatusValue | undefined {
    const { ts } = this.host;
    if (!constant.named || (constant.value !== 0 && constant.value !== 1)) return undefined;
    const bare = skipParentheses(ts, operand);
    if (!(ts.isIdentifier(bare) || ts.isPropertyAccessExpression(bare) || ts.isElementAccessExpression(bare) || ts.isCallExpression(bare))) return undefined;
    if (this.host.constants.resolve(bare)) return undefined;
    const raw = memoryRead(ts, bare, this.host.checker);
    // A raw read says how it was read; otherwise ordering is not visible and not judged.
    return this.word(bare, raw?.word ?? wordNamedBy(bare.getText()), raw ? raw.atomic : true, frame, `the status value ${abbreviate(bare.getText())}`);
  }

  private assignment(node: ts.BinaryExpression, frame: Frame): StatusValue | undefined {
    const { ts } = this.host;
    const result = this.value(node.right, frame);
    const target = skipParentheses(ts, node.left);
    if (ts.isIdentifier(target)) {
      this.assignLocal(target.text, node.right, result, frame);
      return result;
    }
    const store = memoryStore(ts, node, this.host.checker, this.host.constants);
    if (store) this.store(node, store, frame);
    else this.value(target, frame);
    return result;
  }

  /** A store into the status word; storing TP_STATUS_KERNEL hands the slot back. */
  private store(site: ts.Node, { word, stored, atomic, tied }: StatusStore, frame: Frame): void {
    const constant = this.host.constants.resolve(stored);
    // An untied raw store is the status word only when what it stores says so.
    if (handsBack(constant, frame.txOnly) && (tied || constant.named)) recordRelease(site, word, atomic, frame);
  }

  // ---- calls ------------------------------------------------------------------------------

  private call(node: ts.CallExpression, frame: Frame): StatusValue | undefined {
    const { ts } = this.host;
    const store = memoryStore(ts, node, this.host.checker, this.host.constants);
    if (store) {
      for (const argument of node.arguments) this.value(argument, frame);
      this.store(node, store, frame);
      return undefined;
    }
    const read = this.tiedRead(node, frame);
    if (read) return read;
    const [first] = node.arguments;
    if (first && this.isBooleanFunction(node.expression)) return this.truth(first, frame);
    if (first && ts.isPropertyAccessExpression(node.expression) && PREDICATE_METHODS.has(node.expression.name.text) && this.isBooleanFunction(first)) {
      // `words.map((h) => h.tp_status).filter(Boolean)`: a truth test of each mapped word.
      const mapped = this.mappedElement(node.expression.expression, frame);
      if (mapped) return this.truthOfValue(mapped.value, first, frame, mapped.result);
    }
    const argValues = node.arguments.map((argument) => this.value(argument, frame));
    const callee = node.expression;
    const name = calleeName(ts, node);
    if (ts.isPropertyAccessExpression(callee)) this.value(callee.expression, frame);
    if (!name) return undefined;
    // Neither the callee nor its arguments touch the status word: nothing to follow.
    if (!this.host.index.carriers.has(name) && argValues.every((argument) => argument === undefined)) return undefined;
    const declaration = declarationOf(ts, this.host.checker, ts.isPropertyAccessExpression(callee) ? callee.name : callee);
    const helper = declaration ? functionOf(ts, declaration) : undefined;
    if (!helper?.body || helper.getSourceFile().isDeclarationFile) return undefined;
    return this.followHelpers(node, [helper], argValues, frame);
  }

  /** The global `Boolean`, called or passed as a predicate. */
  private isBooleanFunction(node: ts.Expression): boolean {
    const { ts, checker } = this.host;
    const bare = skipParentheses(ts, node);
    if (!ts.isIdentifier(bare) || bare.text !== 'Boolean') return false;
    const declaration = checker.getSymbolAtLocation(bare)?.valueDeclaration;
    return declaration === undefined || declaration.getSourceFile().isDeclarationFile;
  }

  /** What each element of `xs.map(cb)` is, and the expression giving it, when `cb` is an arrow whose body is an expression. */
  private mappedElement(node: ts.Expression, frame: Frame): { value: StatusValue; result: ts.Expression } | undefined {
    const { ts } = this.host;
    const call = skipParentheses(ts, node);
    if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'map') return undefined;
    const [callback] = call.arguments;
    const bare = callback && skipParentheses(ts, callback);
    if (!bare || !ts.isArrowFunction(bare) || ts.isBlock(bare.body)) return undefined;
    const value = this.value(bare.body, { ...frame, sink: SILENT_SINK });
    return value && value.kind !== 'decision' ? { value, result: bare.body } : undefined;
  }

  private followHelpers(site: ts.Node, helpers: FunctionLike[], argValues: (StatusValue | undefined)[], frame: Frame): StatusValue | undefined {
    if (argValues.every((argument) => argument === undefined)) return this.summaries.replay(helpers, site, frame);
    return this.inlineWithBindings(site, helpers, argValues, frame);
  }

  private inlineWithBindings(site: ts.Node, helpers: FunctionLike[], argValues: (StatusValue | undefined)[], frame: Frame): StatusValue | undefined {
    const { ts } = this.host;
    return inlineEach(helpers, this.helperStack, (helper) => helper, true, (helper) => {
      const { body } = helper;
      if (!body) return [];
      const bindings = bindArguments(helper.parameters.map((parameter) => (ts.isIdentifier(parameter.name) ? parameter.name.text : undefined)), argValues);
      const origin = helperOrigin(this.place(helper), nameOf(ts, helper) ?? 'function');
      const env = new Map<string, StatusValue>();
      const inner = evaluateBody((sink) => nestedFrame(frame, site, bindings, origin, true, env, sink), frame.sink, (pass) => this.walkBody(body, pass));
      return inner.returned;
    });
  }

  // ---- reporting --------------------------------------------------------------------------

  private record(decision: Decision, node: ts.Node, frame: Frame, looksOwnedWhenTrue: boolean | undefined, shape?: DecisionShape): StatusValue {
    return recordDecision(decision, node, () => this.place(node), frame, looksOwnedWhenTrue, shape);
  }

  /** `frame?.tpStatus` may be undefined: the rewrite must say what `&` does with it, for TypeScript's sake. */
  private nullishAware(shape: DecisionShape, operand: ts.Expression): DecisionShape {
    const { ts, checker } = this.host;
    const type = checker.getTypeAtLocation(operand);
    const parts = type.isUnion() ? type.types : [type];
    const nullish = parts.some((part) => (part.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) !== 0);
    return nullish ? { ...shape, operandMayBeNullish: true } : shape;
  }

  /** Only the tests a fix rewrites need the spelling: finding it asks the checker for every name in scope. */
  private userBitFor(decision: Decision, site: ts.Node, compared?: ts.Expression): string | undefined {
    if (!decision.ruleId || !AUTOFIXED_RULES.has(decision.ruleId)) return undefined;
    return this.host.constants.userBitAt(site, compared) ?? UNNAMED_USER_BIT;
  }

  private pathOf(node: ts.Node): string {
    return this.host.displayPath(node.getSourceFile());
  }

  /** Where a node starts, as an origin's place. */
  private place(node: ts.Node): Place {
    const file = node.getSourceFile();
    const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
    return { file: this.host.displayPath(file), line: line + 1, column: character + 1 };
  }
}

/** The function a resolved callee declaration stands for: a function, a method, or a `const f = () => …`. */
function functionOf(ts: TypeScriptApi, declaration: ts.Declaration): FunctionLike | undefined {
  if (isFunctionLike(ts, declaration)) return declaration;
  if (ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration)) {
    const initial = declaration.initializer ? skipParentheses(ts, declaration.initializer) : undefined;
    if (initial && isFunctionLike(ts, initial)) return initial;
  }
  return undefined;
}

function abbreviate(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
}


/** Array methods that test what their callback returns. */
const PREDICATE_METHODS = new Set(['filter', 'find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every']);

/**
 * Whether a returned expression is used as a condition: returned from a function declared to return
 * `boolean` (by its type or a JSDoc `@returns {boolean}`), or from a callback a predicate method tests.
 */
function returnsCondition(ts: TypeScriptApi, expression: ts.Expression): boolean {
  const node = enclosingUnit(ts, expression);
  if (!node || !isFunctionLike(ts, node)) return false;
  const declared = node.type ?? ts.getJSDocReturnType(node);
  if (declared?.kind === ts.SyntaxKind.BooleanKeyword) return true;
  const call = node.parent;
  return (ts.isCallExpression(call) && call.arguments[0] === node && ts.isPropertyAccessExpression(call.expression) &&
    PREDICATE_METHODS.has(call.expression.name.text));
}

/** The function (or source file) a node belongs to: the unit that evaluates it. */
function enclosingUnit(ts: TypeScriptApi, node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionLike(ts, current) || ts.isSourceFile(current)) return current;
  }
  return undefined;
}

/** Where a class field's status word was read from, and how. */
type FieldSource = Pick<MemoryAccess, 'word' | 'atomic'> & { node: ts.Node };

/** The field's initializer and every `this.field = value` in its class. */
function fieldStores(ts: TypeScriptApi, declaration: ts.PropertyDeclaration): ts.Expression[] {
  const name = declaration.name.getText();
  const values: ts.Expression[] = declaration.initializer ? [declaration.initializer] : [];
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = skipParentheses(ts, node.left);
      if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword && target.name.getText() === name) values.push(node.right);
    }
    ts.forEachChild(node, visit);
  };
  for (const member of declaration.parent.members) if (member !== declaration) visit(member);
  return values;
}

/** `x as T`, `<T>x`, `x satisfies T` → `x`; parentheses stay (they may be the test's own). */
function withoutTypeAssertions(ts: TypeScriptApi, node: ts.Expression): ts.Expression {
  let current = node;
  while (ts.isAsExpression(current) || ts.isTypeAssertionExpression(current) || ts.isSatisfiesExpression(current)) current = current.expression;
  return current;
}
