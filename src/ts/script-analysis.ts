/**
 * The TypeScript/JavaScript analysis behind its language row: a scan's files grouped by their
 * nearest tsconfig.json, and one file ESLint lints. With typed linting the analyzer reads
 * typescript-eslint's program (and its type checker) rather than building a second program of the
 * same files; without, it keeps programs of its own, one per tsconfig.json.
 */
import { dirname } from 'node:path';
import type { ts } from 'ts-morph';
import type { Analysis, AnalysisOutcome, LintedUnit } from '../languages/language.js';
import { analyzeInProgram, analyzeTypeScript, TypeScriptSession } from './analyze.js';
import { typescriptOf } from './program-typescript.js';
import { tsconfigSearch } from './project.js';

/** One TypeScript session for the whole ESLint process: lib files and unchanged sources are parsed once. */
let session: TypeScriptSession | undefined;

export const SCRIPT_ANALYSIS: Analysis = {
  analyze: (units) => analyzeTypeScript(units.map(({ path, absolutePath, text }) => ({ path, absolutePath, text }))),
  analyzeLinted(unit) {
    const outcome = analyseInParserProgram(unit) ?? analyseInOwnProgram(unit);
    // ESLint reports what its parser could not parse itself.
    return { findings: outcome.findings, errors: outcome.errors.filter((error) => !error.message.startsWith('syntax error')) };
  },
};

/**
 * In typed linting's program, when it holds this file as linted and we know the TypeScript that
 * built it; undefined otherwise.
 */
function analyseInParserProgram(unit: LintedUnit): AnalysisOutcome | undefined {
  const program = unit.parserProgram as ts.Program | undefined;
  if (!program) return undefined;
  const ts = typescriptOf(program);
  const source = program.getSourceFile(unit.absolutePath);
  if (!ts || source?.text !== unit.text) return undefined;
  return analyzeInProgram({ ts, program, files: [{ source, path: unit.path }], displayPath: unit.displayPath });
}

function analyseInOwnProgram(unit: LintedUnit): AnalysisOutcome {
  session ??= new TypeScriptSession();
  return session.analyze([{ path: unit.path, absolutePath: unit.absolutePath, text: unit.text }], tsconfigFor(unit));
}

/** The project's own tsconfig when typed linting provides one, else the nearest tsconfig.json. */
function tsconfigFor(unit: LintedUnit): string | undefined {
  const configured = (unit.parserProgram as ts.Program | undefined)?.getCompilerOptions().configFilePath;
  if (typeof configured === 'string') return configured;
  return tsconfigSearch(dirname(unit.absolutePath)).found;
}
