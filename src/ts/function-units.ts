/**
 * The units the TypeScript analyzer evaluates one at a time: every function, method, accessor,
 * arrow and function expression, plus a module's top-level statements (scripts consume rings at top
 * level too). Also the cheap, name-based index that decides which callees are worth following and
 * which helpers have callers (and so report their returned decisions where they are called).
 */
import type { ts } from 'ts-morph';
import { STATUS_MEMBER } from './status-reads.js';
import type { TypeScriptApi } from './typescript-api.js';

export type FunctionLike = ts.FunctionLikeDeclaration;

export interface AnalysisUnit {
  /** The function, or the source file for top-level code. */
  node: FunctionLike | ts.SourceFile;
  /** The name callers use: a function's, a method's, or the variable an arrow is assigned to. */
  name: string | undefined;
}

export function isFunctionLike(ts: TypeScriptApi, node: ts.Node): node is FunctionLike {
  return (
    ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node) ||
    ts.isConstructorDeclaration(node)
  );
}

export function nameOf(ts: TypeScriptApi, node: FunctionLike): string | undefined {
  if (node.name && (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name) || ts.isStringLiteral(node.name))) return node.name.text;
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) {
    return parent.name.text;
  }
  return undefined;
}

export function unitsOf(ts: TypeScriptApi, file: ts.SourceFile): AnalysisUnit[] {
  const units: AnalysisUnit[] = [{ node: file, name: undefined }];
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(ts, node) && node.body) units.push({ node, name: nameOf(ts, node) });
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(file, visit);
  return units;
}

/** Text that may involve the status word: reads, stores, constants, status-like names. */
const STATUS_TEXT = /status|Atomics|getUint32|getBigUint64|readUInt32|readUint32|readBigU/i;

/**
 * Names in a file that may be bound to the status word away from where they are used: every
 * destructured name whose member's name (or a tuple's label, not visible here) may say so, and
 * every `const` whose initializer's text may. Only these are worth asking the checker about.
 */
export function boundStatusNames(ts: TypeScriptApi, file: ts.SourceFile): ReadonlySet<string> {
  const cached = boundNames.get(file);
  if (cached) return cached;
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isBindingElement(node) && ts.isIdentifier(node.name)) {
      const key = node.propertyName ?? node.name;
      if (ts.isArrayBindingPattern(node.parent) || STATUS_MEMBER.test(key.getText(file))) names.add(node.name.text);
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && STATUS_TEXT.test(node.initializer.getText(file))) {
      names.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  boundNames.set(file, names);
  return names;
}

const boundNames = new WeakMap<ts.SourceFile, ReadonlySet<string>>();

/** The declaration or parameter a (nested) binding element is part of. */
export function bindingRoot(ts: TypeScriptApi, element: ts.BindingElement): ts.Node {
  let node: ts.Node = element;
  while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)) node = node.parent;
  return node;
}

export interface CallIndex {
  /** Every name called (or read as a getter would be) in the analysed files. */
  called: Set<string>;
  /** Names of functions that may return or decide on the status word, directly or through others. */
  carriers: Set<string>;
}

interface FileIndex {
  /** Functions in the file whose bodies mention the status word. */
  carriers: string[];
  /** For each named function, the names it calls. */
  callees: Map<string, Set<string>>;
  /** Every name called anywhere in the file. */
  called: Set<string>;
}

/** Unchanged source files are shared between program versions, so their index is computed once. */
const fileIndexes = new WeakMap<ts.SourceFile, FileIndex>();

function indexFile(ts: TypeScriptApi, file: ts.SourceFile): FileIndex {
  const cached = fileIndexes.get(file);
  if (cached) return cached;
  const index: FileIndex = { carriers: [], callees: new Map(), called: new Set() };
  for (const unit of unitsOf(ts, file)) {
    const body = ts.isSourceFile(unit.node) ? undefined : unit.node.body;
    if (!body || !unit.name) continue;
    if (STATUS_TEXT.test(body.getText(file))) index.carriers.push(unit.name);
    const called = index.callees.get(unit.name) ?? new Set<string>();
    collectCalledNames(ts, body, called);
    index.callees.set(unit.name, called);
  }
  collectCalledNames(ts, file, index.called);
  fileIndexes.set(file, index);
  return index;
}

/**
 * `analysed` are the files findings are reported for (their calls count); `context` adds the
 * program's other source files (imported from disk), whose helpers are followed too.
 */
export function indexCalls(ts: TypeScriptApi, analysed: readonly ts.SourceFile[], context: readonly ts.SourceFile[]): CallIndex {
  const indexes = [...new Set([...analysed, ...context])].map((file) => indexFile(ts, file));
  const carriers = new Set(indexes.flatMap((index) => index.carriers));
  // A helper that calls a carrier carries the status word too (same-named functions of several files each count).
  const callees = indexes.flatMap((index) => [...index.callees]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, called] of callees) {
      if (!carriers.has(name) && [...called].some((callee) => carriers.has(callee))) {
        carriers.add(name);
        changed = true;
      }
    }
  }
  return { called: new Set(analysed.flatMap((file) => [...indexFile(ts, file).called])), carriers };
}

function collectCalledNames(ts: TypeScriptApi, root: ts.Node, into: Set<string>): void {
  const visit = (node: ts.Node): void => {
    const name = ts.isCallExpression(node) ? calleeName(ts, node)
      // Getters are called by reading them.
      : ts.isPropertyAccessExpression(node) && !ts.isCallExpression(node.parent) ? node.name.text : undefined;
    if (name !== undefined) into.add(name);
    ts.forEachChild(node, visit);
  };
  visit(root);
}

/** The name a call calls: `f` of `f(…)` and of `o.f(…)`. */
export function calleeName(ts: TypeScriptApi, call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  return ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}
