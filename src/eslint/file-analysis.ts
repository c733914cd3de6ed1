/**
 * Runs ringlint's analysis once per linted file, whichever of the seven rules asks first, and hands
 * each rule its own findings: the TypeScript analyzer for JS/TS files, the C analyzer for files
 * linted through the `ringlint/c` language. Nothing here re-implements the analysis on ESTree.
 *
 * With typed linting, the TypeScript analyzer reads typescript-eslint's program (and its type
 * checker) rather than building a second program of the same files; without, it keeps programs of
 * its own, one per tsconfig.json.
 */
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { ts } from 'ts-morph';
import { analyzeC } from '../c/analyze.js';
import { compilerLineEnds } from '../files/line-ends.js';
import { BINARY_FILE_PROBLEM, BINARY_SAMPLE_BYTES, looksBinary } from '../files/read-source.js';
import type { FileError, Finding } from '../model/finding.js';
import { analyzeInProgram, TypeScriptSession, type TsAnalysis } from '../ts/analyze.js';
import { typescriptOf } from '../ts/program-typescript.js';
import { TsconfigLocator } from '../ts/project.js';
import { readSuppressions, suppressionOf, type SuppressionProblem } from '../suppressions/inline-suppressions.js';
import { CSourceCode } from './c-source-code.js';

/** As `ringlint scan --max-file-size`'s default: larger files are generated, not hand-written consumers. */
export const MAX_FILE_SIZE = 8 * 1024 * 1024;

export interface FileAnalysis {
  /** The path findings carry for this file. */
  path: string;
  /** Less those a `ringlint-disable` comment suppresses. */
  findings: Finding[];
  /** Why the file (or part of it) was not analysed. */
  errors: FileError[];
  /** `ringlint-disable` comments without a reason or naming no known rule. */
  suppressionProblems: SuppressionProblem[];
}

/** What a rule sees of ESLint's context; kept structural so the rules work with ESLint 9 and 10. */
export interface LintedFile {
  filename: string;
  cwd: string;
  sourceCode: { text: string; parserServices?: { program?: ts.Program | null } };
}

const cache = new WeakMap<object, FileAnalysis>();
/** One TypeScript session for the whole ESLint process: lib files and unchanged sources are parsed once. */
let session: TypeScriptSession | undefined;
const locator = new TsconfigLocator();

export function analysisFor(file: LintedFile): FileAnalysis {
  const cached = cache.get(file.sourceCode);
  if (cached) return cached;
  const analysis = analyse(file);
  // ESLint applies `eslint-disable` comments itself (and reports the unused ones); ringlint's own are ours to apply.
  const { suppressions, problems } = readSuppressions(analysis.path, compilerLineEnds(file.sourceCode.text), ['ringlint']);
  const kept = suppressions.length > 0 ? analysis.findings.filter((finding) => !suppressionOf(finding, suppressions)) : analysis.findings;
  const result = { ...analysis, findings: kept, suppressionProblems: problems };
  cache.set(file.sourceCode, result);
  return result;
}

function analyse(file: LintedFile): Omit<FileAnalysis, 'suppressionProblems'> {
  const absolutePath = isAbsolute(file.filename) ? file.filename : resolve(file.cwd, file.filename);
  const path = displayPath(file.cwd, absolutePath);
  const text = file.sourceCode.text;
  if (Buffer.byteLength(text, 'utf8') > MAX_FILE_SIZE) {
    const mentionsStatus = /tp_status|block_status|TP_STATUS|tpStatus|blockStatus/.test(text);
    const message = `file is over ringlint's size limit of ${MAX_FILE_SIZE / 1024 / 1024} MiB; not analysed although it mentions the status word`;
    return { path, findings: [], errors: mentionsStatus ? [{ file: path, message }] : [] };
  }
  // As `ringlint scan` judges the file's bytes (ESLint decoded them as UTF-8: NUL and control bytes
  // are the same characters). A UTF-16 or binary .c file reaches the C language as text, which
  // parses to nothing: without this the file would pass as clean.
  if (looksBinary(Buffer.from(text.slice(0, BINARY_SAMPLE_BYTES), 'utf8'))) return { path, findings: [], errors: [{ file: path, message: BINARY_FILE_PROBLEM }] };
  try {
    if (file.sourceCode instanceof CSourceCode) {
      // Lines as gcc counts them, as `ringlint scan` reads files (files/line-ends.ts).
      const outcome = analyzeC([{ path, text: compilerLineEnds(text) }]);
      return { path, findings: outcome.findings, errors: outcome.errors };
    }
    const outcome = analyseInParserProgram(file, path, absolutePath) ?? analyseInOwnProgram(file, path, absolutePath);
    return { path, findings: outcome.findings, errors: outcome.errors.filter((error) => !error.message.startsWith('syntax error')) };
  } catch (error) {
    // A bug in the analysis must not take the whole ESLint run down with it.
    return { path, findings: [], errors: [{ file: path, message: `internal error while analysing: ${error instanceof Error ? error.message : String(error)}` }] };
  }
}

/**
 * In typed linting's program, when it holds this file as linted and we know the TypeScript that
 * built it; undefined otherwise.
 */
function analyseInParserProgram(file: LintedFile, path: string, absolutePath: string): TsAnalysis | undefined {
  const program = file.sourceCode.parserServices?.program;
  if (!program) return undefined;
  const ts = typescriptOf(program);
  const source = program.getSourceFile(absolutePath);
  if (!ts || source?.text !== file.sourceCode.text) return undefined;
  return analyzeInProgram({ ts, program, files: [{ source, path }], displayPath: (fileName) => displayPath(file.cwd, fileName) });
}

function analyseInOwnProgram(file: LintedFile, path: string, absolutePath: string): TsAnalysis {
  session ??= new TypeScriptSession();
  return session.analyze([{ path, absolutePath, text: file.sourceCode.text }], tsconfigFor(file, absolutePath));
}

/** The project's own tsconfig when typed linting provides one, else the nearest tsconfig.json. */
function tsconfigFor(file: LintedFile, absolutePath: string): string | undefined {
  const configured = file.sourceCode.parserServices?.program?.getCompilerOptions().configFilePath;
  if (typeof configured === 'string') return configured;
  return locator.nearest(dirname(absolutePath));
}

function displayPath(cwd: string, absolutePath: string): string {
  const path = relative(cwd, absolutePath);
  return (path.startsWith('..') || isAbsolute(path) ? absolutePath : path).split(sep).join('/');
}
