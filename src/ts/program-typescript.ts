/**
 * Which copy of TypeScript built a program handed to us (typescript-eslint's, in a typed ESLint
 * run). The program carries no reference to its compiler, and guessing by version or by the path a
 * package would resolve to can pick a second copy whose `SyntaxKind` numbers differ. So the answer
 * is proved instead: every node a copy of TypeScript creates shares that copy's node prototype, and
 * the copies in question are already loaded (the parser loaded the one it built the program with).
 */
import { createRequire } from 'node:module';
import type { ts } from 'ts-morph';
import type { TypeScriptApi } from './typescript-api.js';

/** The main module of a `typescript` package, whatever the package directory is called (`tsserverlibrary.js` re-exports it). */
const TYPESCRIPT_MAIN = /[\\/]lib[\\/]typescript\.js$/;

const loadedModules = createRequire(import.meta.url).cache;
/** Source-file prototypes of the copies met so far, so each is probed once. */
const copiesByPrototype = new WeakMap<object, TypeScriptApi>();

/** The loaded TypeScript whose nodes `program`'s are, or undefined when none of them built it. */
export function typescriptOf(program: ts.Program): TypeScriptApi | undefined {
  const sample = program.getSourceFiles()[0];
  if (!sample) return undefined;
  const prototype = Object.getPrototypeOf(sample) as object;
  const known = copiesByPrototype.get(prototype);
  if (known) return known;
  for (const { api: candidate } of loadedCopies()) {
    if (typeof candidate.createSourceFile !== 'function') continue;
    const probe = candidate.createSourceFile('probe.ts', '', candidate.ScriptTarget.Latest);
    const candidatePrototype = Object.getPrototypeOf(probe) as object;
    copiesByPrototype.set(candidatePrototype, candidate);
    if (candidatePrototype === prototype) return candidate;
  }
  return undefined;
}

/** The copies of TypeScript loaded in this process, the one `cwd` resolves to first. */
export function loadedTypeScripts(cwd: string): TypeScriptApi[] {
  let preferred: string | undefined;
  try {
    preferred = createRequire(`${cwd}/package.json`).resolve('typescript');
  } catch {
    // No typescript of the project's own: any loaded copy will do.
  }
  const copies = loadedCopies().sort((a, b) => Number(b.path === preferred) - Number(a.path === preferred));
  return copies.map((copy) => copy.api);
}

/** The `typescript` packages this process has loaded, in load order. */
function loadedCopies(): Array<{ path: string; api: TypeScriptApi }> {
  return Object.entries(loadedModules).flatMap(([path, loaded]) => (TYPESCRIPT_MAIN.test(path) && loaded?.loaded ? [{ path, api: loaded.exports as TypeScriptApi }] : []));
}
