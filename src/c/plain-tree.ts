/**
 * Plain JavaScript copies of tree-sitter subtrees. Every property of a tree-sitter node is a call
 * into the native binding (a type, a child, a field), and the evaluator reads the same
 * function bodies many times (three passes, and again for every call of a helper or macro), so it
 * reads them from a copy made once, in one walk of a tree cursor.
 */
import type { NativeNode, Point, SyntaxNode } from './parser.js';

/** What every node of one copy shares: the source text, and its line starts for positions. */
class CopiedSource {
  private lineStarts: number[] | undefined;

  constructor(readonly text: string) {}

  /** Rows and columns as tree-sitter gives them here: in UTF-16 code units, like the indices. */
  pointAt(index: number): Point {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= index) low = middle; // middle is within the array
      else high = middle - 1;
    }
    return { row: low, column: index - starts[low]! }; // low is within the array
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

let nextId = 1;

export class PlainNode implements SyntaxNode {
  readonly id = nextId++;
  /** Named children, and the anonymous ones that fill a field (an operator). */
  readonly children: PlainNode[] = [];
  private named: PlainNode[] | undefined;

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    /** The field this node fills in its parent. */
    readonly field: string | undefined,
    readonly startIndex: number,
    readonly endIndex: number,
    private readonly source: CopiedSource,
    /**
     * None for the root of a copy: a copy is a function definition, and what reads a copy climbs
     * no higher (to the definition, its body, or a statement in it).
     */
    readonly parent: PlainNode | null,
  ) {}

  get text(): string {
    return this.source.text.slice(this.startIndex, this.endIndex);
  }

  get startPosition(): Point {
    return this.source.pointAt(this.startIndex);
  }

  get endPosition(): Point {
    return this.source.pointAt(this.endIndex);
  }

  get namedChildren(): PlainNode[] {
    return (this.named ??= this.children.filter((child) => child.isNamed));
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  namedChild(index: number): PlainNode | null {
    return this.namedChildren[index] ?? null;
  }

  childForFieldName(name: string): PlainNode | null {
    // As tree-sitter's lookup: an ERROR node has no production, so no field, though its children
    // keep the fields the cursor (and childrenForFieldName) report.
    if (this.type === 'ERROR') return null;
    for (const child of this.children) if (child.field === name) return child;
    return null;
  }

  childrenForFieldName(name: string): PlainNode[] {
    return this.children.filter((child) => child.field === name);
  }

  descendantsOfType(types: string | string[]): PlainNode[] {
    const wanted = typeof types === 'string' ? [types] : types;
    const found: PlainNode[] = [];
    const stack: PlainNode[] = [this];
    while (stack.length > 0) {
      const node = stack.pop()!; // non-empty: checked by the loop condition
      if (wanted.includes(node.type)) found.push(node);
      for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]!);
    }
    return found;
  }
}

/**
 * Names by numeric id, per grammar (C's and C++'s ids differ): the cursor's string getters
 * allocate on every call.
 */
type GrammarNames = Record<'types' | 'fields', string[]>;
const namesByGrammar = new WeakMap<object, GrammarNames>();

/** A copy of `node`'s subtree; `text` is the whole text the tree was parsed from. */
export function plainCopy(node: NativeNode, text: string): PlainNode {
  const source = new CopiedSource(text);
  const grammar = node.tree.language;
  let names = namesByGrammar.get(grammar);
  if (!names) namesByGrammar.set(grammar, (names = { types: [], fields: [] }));
  const cursor = node.walk();
  const root = new PlainNode(node.type, node.isNamed, undefined, node.startIndex, node.endIndex, source, null);
  // The cursor walks depth first without recursion (generated code nests deeply); `path` holds the
  // copies of the cursor's ancestors.
  const path: PlainNode[] = [root];
  let descended = cursor.gotoFirstChild();
  while (path.length > 0) {
    if (descended) {
      const parent = path[path.length - 1]!; // non-empty: checked by the loop condition
      const copy = copyAtCursor(cursor, source, parent, names);
      if (copy) parent.children.push(copy);
      // Anonymous nodes are leaves as far as the analysis looks.
      if (copy?.isNamed && cursor.gotoFirstChild()) {
        path.push(copy);
        continue;
      }
    }
    descended = cursor.gotoNextSibling();
    while (!descended && path.length > 0) {
      path.pop();
      if (path.length === 0 || !cursor.gotoParent()) {
        path.length = 0;
        break;
      }
      descended = cursor.gotoNextSibling();
    }
  }
  cursor.delete?.();
  return root;
}

function copyAtCursor(cursor: NativeCursor, source: CopiedSource, parent: PlainNode, names: GrammarNames): PlainNode | undefined {
  const isNamed = cursor.nodeIsNamed;
  const fieldId = cursor.currentFieldId;
  const field = fieldId ? (names.fields[fieldId] ??= cursor.currentFieldName) : undefined;
  if (!isNamed && field === undefined) return undefined;
  const typeId = cursor.nodeTypeId;
  const type = (names.types[typeId] ??= cursor.nodeType);
  return new PlainNode(type, isNamed, field, cursor.startIndex, cursor.endIndex, source, parent);
}

type NativeCursor = ReturnType<NativeNode['walk']>;
