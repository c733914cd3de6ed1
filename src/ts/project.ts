/**
 * The ts-morph project a TypeScript/JavaScript analysis runs in: compiler options from the nearest
 * tsconfig.json (compilerOptions only — which files are analysed is the caller's choice) or
 * defaults that accept any JS or TS a consumer may be written in.
 */
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TsMorph from 'ts-morph';
import type { ts } from 'ts-morph';
import { displayPathInside } from '../files/display-path.js';
import { fsErrorReason } from '../files/fs-error-reason.js';
import { NotReadable, readRegularFileSync } from '../files/read-regular-file.js';
import type { TypeScriptApi } from './typescript-api.js';

const require = createRequire(import.meta.url);

/**
 * ts-morph, and the TypeScript it bundles, load on first use: an ESLint run with typed
 * linting analyses typescript-eslint's program and needs neither.
 */
export function tsMorph(): typeof TsMorph {
  return require('ts-morph') as typeof TsMorph;
}

/** Over a project's options, or alone for files without a tsconfig.json: accept everything, judge nothing about types. */
function defaultedOptions(ts: TypeScriptApi, project: ts.CompilerOptions = {}): ts.CompilerOptions {
  return {
    allowJs: true,
    checkJs: false,
    strict: false,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    jsx: ts.JsxEmit.Preserve,
    ...project,
    ...FORCED_OPTIONS,
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
  /** The tsconfig and every file its `extends` chain had TypeScript read or look for, found or not: what the options depend on. */
  configFiles: string[];
}

/** Far above any tsconfig.json; the bound is for a file that is none (`"extends": "/dev/zero"`). */
const MAX_TSCONFIG_BYTES = 16 * 1024 * 1024;

/** The compiler options of a tsconfig.json, or the defaults with the reason when it is missing or broken. */
export function compilerOptionsFrom(tsconfig: string | undefined): ResolvedOptions {
  const { ts } = tsMorph();
  if (tsconfig === undefined) return { options: defaultedOptions(ts), configFiles: [] };
  // Every file TypeScript asked to read (the tsconfig, then its `extends` chain), and why each it could not.
  const asked = new Set<string>();
  const unreadable = new Map<string, string>();
  const host = boundedConfigHost(ts, asked, unreadable);
  const read = ts.readConfigFile(tsconfig, host.readFile);
  if (read.error) {
    return { options: defaultedOptions(ts), problem: `cannot use ${tsconfig}: ${diagnosticText(ts, read.error, unreadable)}; analysed with default options`, configFiles: [...asked] };
  }
  const parsed = ts.parseJsonConfigFileContent(read.config, host, dirname(tsconfig), undefined, tsconfig);
  // "No inputs were found" only concerns `include`, which the analysis does not use.
  const problems = firstSyntaxErrorOfEachFile(parsed.errors.filter((error) => error.code !== 18003));
  return {
    options: defaultedOptions(ts, parsed.options),
    problem:
      problems.length > 0 ? `problems in ${tsconfig}: ${problems.map((problem) => diagnosticText(ts, problem, unreadable)).join('; ')}; analysed with what could be read` : undefined,
    configFiles: [...asked],
  };
}

/**
 * Of a file's syntax errors (TypeScript's 1000s), the first: the others follow from it in a file
 * that is not JSON at all, and their places would outline what it holds.
 */
function firstSyntaxErrorOfEachFile(problems: readonly ts.Diagnostic[]): ts.Diagnostic[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const file = problem.file?.fileName;
    if (file === undefined || problem.code >= 2000) return true;
    if (seen.has(file)) return false;
    seen.add(file);
    return true;
  });
}

/**
 * TypeScript's own file system, but tsconfig.json and the files its `extends` names are read as
 * ringlint reads every control file a repository holds (files/read-regular-file.ts): a regular file
 * only, never waiting on a FIFO or device, and bounded. A symbolic link is followed (projects link
 * shared configs) and its target read under the same rules.
 */
function boundedConfigHost(ts: TypeScriptApi, asked: Set<string>, unreadable: Map<string, string>): ts.ParseConfigHost {
  return {
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    readDirectory: ts.sys.readDirectory,
    // Probes count as reads: a package appearing in a nearer node_modules changes what `extends` names.
    fileExists(path) {
      asked.add(path);
      return ts.sys.fileExists(path);
    },
    readFile(path) {
      asked.add(path);
      try {
        return readRegularFileSync(realpathSync(path), MAX_TSCONFIG_BYTES).toString('utf8');
      } catch (error) {
        unreadable.set(path, error instanceof NotReadable ? error.reason : fsErrorReason(error));
        return undefined;
      }
    },
  };
}

/**
 * A diagnostic at its file, line and column, as a compiler says it: `b.json:1:1: '{' expected.`
 * TypeScript's own words, which name what was expected and never quote the file (a tsconfig's
 * `extends` may name any file: its text must not leak into a report).
 */
function diagnosticText(ts: TypeScriptApi, diagnostic: ts.Diagnostic, unreadable: ReadonlyMap<string, string>): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
  const file = diagnostic.file;
  if (file === undefined || diagnostic.start === undefined) {
    // "Cannot read file …": say why.
    const reason = [...unreadable].find(([path]) => message.includes(path))?.[1];
    return reason === undefined ? message : `${message.replace(/\.$/, '')}: ${reason}.`;
  }
  const { line, character } = file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${displayPathInside(process.cwd(), file.fileName)}:${line + 1}:${character + 1}: ${message}`;
}

/**
 * The nearest tsconfig.json at or above a directory, if any, and every tsconfig.json path looked
 * for (the one found last): a file appearing at any of them would change which one is used.
 */
export function tsconfigSearch(directory: string): { found: string | undefined; candidates: string[] } {
  const candidates: string[] = [];
  for (let at = directory; ; at = dirname(at)) {
    const candidate = join(at, 'tsconfig.json');
    candidates.push(candidate);
    if (existsSync(candidate)) return { found: candidate, candidates };
    if (dirname(at) === at) return { found: undefined, candidates };
  }
}
