/**
 * The import graph of src/: every module's imports of other modules of the package, read with the
 * TypeScript parser: static imports and re-exports, `import type` ones too (two modules that name
 * each other's types cannot be read or changed apart either). Dynamic `import()` only when asked:
 * it is how a module loads a heavy part on first use, and that part may name its loader.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** Module (path relative to `root`, as `cli/main.ts`) → the modules it imports. */
export function importGraph(root: string, { dynamic = false }: { dynamic?: boolean } = {}): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(root)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
    const imported = new Set<string>();
    const visit = (node: ts.Node): void => {
      const specifier =
        (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)
          ? node.moduleSpecifier.text
          : dynamic && ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])
            ? node.arguments[0].text
            : undefined;
      if (specifier?.startsWith('.')) imported.add(relative(root, resolve(dirname(file), specifier.replace(/\.js$/, '.ts'))));
      ts.forEachChild(node, visit);
    };
    visit(source);
    graph.set(relative(root, file), imported);
  }
  return graph;
}

/** Every cycle's modules, one path around each strongly connected component (Tarjan), in import order. */
export function importCycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (module: string): void => {
    index.set(module, index.size);
    low.set(module, index.get(module)!);
    stack.push(module);
    onStack.add(module);
    for (const next of graph.get(module) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        connect(next);
        low.set(module, Math.min(low.get(module)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(module, Math.min(low.get(module)!, index.get(next)!));
      }
    }
    if (low.get(module) !== index.get(module)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== module);
    if (component.length > 1 || graph.get(module)?.has(module)) components.push(component);
  };
  for (const module of [...graph.keys()].sort()) if (!index.has(module)) connect(module);
  return components.map((component) => cycleThrough(graph, new Set(component)));
}

/** A path from the component's first module (by name) back to it, through the component. */
function cycleThrough(graph: ReadonlyMap<string, ReadonlySet<string>>, component: ReadonlySet<string>): string[] {
  const start = [...component].sort()[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const module = queue.shift()!;
    for (const next of [...(graph.get(module) ?? [])].sort()) {
      if (!component.has(next)) continue;
      if (next === start) {
        const path = [module];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, module);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}
