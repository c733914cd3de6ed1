/**
 * The ts-morph project a TypeScript/JavaScript analysis runs in: compiler options from the nearest
 * tsconfig.json (compilerOptions only — which files are analysed is the caller's choice) or
 * defaults that accept any JS or TS a consumer may be written in.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TsMorph from 'ts-morph';
import type { ts } from 'ts-morph';
import type { TypeScriptApi } from './typescript-api.js';

const require = createRequire(import.meta.url);

/**
 * ts-morph, and the TypeScript it bundles, load on first use: an ESLint run with typed
 * linting analyses typescript-eslint's program and needs neither.
 */
export function tsMorph(): typeof TsMorph {
  return require('ts-morph') as typeof TsMorph;
}

/** For files without a tsconfig.json: accept everything, judge nothing about types. */
export function defaultCompilerOptions(ts: TypeScriptApi): ts.CompilerOptions {
  return {
    allowJs: true,
    checkJs: false,
    strict: false,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    jsx: ts.JsxEmit.Preserve,
  };
}

/**
 * Whatever the project says, the analysis reads JS too, emits nothing, and skips ambient
 * `@types` packages: the analysis needs declarations of the code itself, and loading every
 * `@types` package of a big project would cost more than the analysis.
 */
const FORCED_OPTIONS: ts.CompilerOptions = { allowJs: true, noEmit: true, types: [], skipLibCheck: true };

export interface ResolvedOptions {
  options: ts.CompilerOptions;
  /** Why the tsconfig could not be used (in full), for the caller's error list. */
  problem?: string;
}

/** The compiler options of a tsconfig.json, or the defaults with the reason when it is missing or broken. */
export function compilerOptionsFrom(tsconfig: string | undefined): ResolvedOptions {
  const { ts } = tsMorph();
  const defaults = defaultCompilerOptions(ts);
  if (tsconfig === undefined) return { options: { ...defaults, ...FORCED_OPTIONS } };
  const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
  if (read.error) {
    return { options: { ...defaults, ...FORCED_OPTIONS }, problem: `cannot use ${tsconfig}: ${flatten(ts, read.error)}; analysed with default options` };
  }
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(tsconfig), undefined, tsconfig);
  // "No inputs were found" only concerns `include`, which the analysis does not use.
  const problems = parsed.errors.filter((error) => error.code !== 18003);
  return {
    options: { ...defaults, ...parsed.options, ...FORCED_OPTIONS },
    problem: problems.length > 0 ? `problems in ${tsconfig}: ${problems.map((problem) => flatten(ts, problem)).join('; ')}; analysed with what could be read` : undefined,
  };
}

function flatten(ts: TypeScriptApi, diagnostic: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
}

/** The nearest tsconfig.json at or above a directory, memoised per directory. */
export class TsconfigLocator {
  private readonly byDirectory = new Map<string, string | undefined>();

  nearest(directory: string): string | undefined {
    if (this.byDirectory.has(directory)) return this.byDirectory.get(directory);
    const candidate = join(directory, 'tsconfig.json');
    const parent = dirname(directory);
    const found = existsSync(candidate) ? candidate : parent === directory ? undefined : this.nearest(parent);
    this.byDirectory.set(directory, found);
    return found;
  }
}

export function createProject(options: ts.CompilerOptions): TsMorph.Project {
  const { Project } = tsMorph();
  return new Project({ compilerOptions: options, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true });
}
