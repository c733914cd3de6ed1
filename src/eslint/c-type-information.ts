/**
 * The type information of a C file, for rules written for TypeScript that a config applies to every
 * file (typescript-eslint's `recommendedTypeChecked` has no `files`). Such a rule asks for
 * `parserServices.program` when it is set up and throws "You have used a rule which requires type
 * information" without one; after that it only asks about the JavaScript nodes it visits, and a C
 * file has none. So a C file's type information is truthfully empty: a program with no source
 * files, built by the TypeScript those rules use. Its options are strict so that rules which warn
 * about a lax program at set-up (strict-boolean-expressions without strictNullChecks) stay quiet.
 */
import type { ts } from 'ts-morph';
import { loadedTypeScripts } from '../ts/program-typescript.js';
import type { TypeScriptApi } from '../ts/typescript-api.js';

const emptyPrograms = new WeakMap<TypeScriptApi, ts.Program>();

/** One object for every C file; the program is built when a rule first asks for it. */
export const C_PARSER_SERVICES = Object.freeze({
  get program(): ts.Program | null {
    // Typed rules load TypeScript when they are loaded: when none is, no rule can ask.
    const [typescript] = loadedTypeScripts(process.cwd());
    if (!typescript) return null;
    if (!emptyPrograms.has(typescript)) {
      emptyPrograms.set(typescript, typescript.createProgram({ rootNames: [], options: { strict: true, noEmit: true, noLib: true } }));
    }
    return emptyPrograms.get(typescript)!; // set above
  },
  // No ESTree node of a C file has a TypeScript node, nor the reverse.
  esTreeNodeToTSNodeMap: new WeakMap<object, ts.Node>(),
  tsNodeToESTreeNodeMap: new WeakMap<ts.Node, object>(),
});
