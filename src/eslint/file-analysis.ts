/**
 * Runs ringlint's analysis once per linted file, whichever of the seven rules asks first, and hands
 * each rule its own findings, from the analysis of the file's language (its row in
 * src/languages/table.ts): files ESLint's JavaScript language parses are the `recommended` config's
 * language, files of the `ringlint/c` language name theirs in their AST. Nothing here
 * re-implements the analysis on ESTree.
 */
import { isAbsolute, resolve } from 'node:path';
import { displayPathInside } from '../files/display-path.js';
import { compilerLineEnds } from '../files/line-ends.js';
import { BINARY_FILE_PROBLEM, BINARY_SAMPLE_BYTES, looksBinary } from '../files/read-source.js';
import type { Analysis, AnalysisKind, AnalysisOutcome } from '../languages/language.js';
import { LANGUAGES } from '../languages/table.js';
import { statusWordSpellings } from '../model/status-vocabulary.js';
import { DEFAULT_MAX_FILE_SIZE } from '../scan/max-file-size.js';
import { readSuppressions, suppressionOf, type SuppressionProblem } from '../suppressions/inline-suppressions.js';


/** The file's findings (less those a `ringlint-disable` comment suppresses) and why it, or part of it, was not analysed. */
interface FileAnalysis extends Pick<AnalysisOutcome, 'findings' | 'errors'> {
  /** The path findings carry for this file. */
  path: string;
  /** `ringlint-disable` comments without a reason or naming no known rule. */
  suppressionProblems: SuppressionProblem[];
}

/** What a rule sees of ESLint's context; kept structural so the rules work with ESLint 9 and 10. */
export interface LintedFile {
  filename: string;
  cwd: string;
  sourceCode: { text: string; ast?: { ringlintLanguage?: string }; parserServices?: { program?: unknown } };
}

const cache = new WeakMap<object, FileAnalysis>();

/** ESLint's rules run synchronously: every language's analysis is loaded with the plugin. */
const analyses = new Map<AnalysisKind, Analysis>(
  await Promise.all(
    [...new Set(LANGUAGES.map((language) => language.analysis))].map(
      async (kind) => [kind, await kind.load(LANGUAGES.filter((language) => language.analysis === kind))] as const,
    ),
  ),
);

/** Files ESLint's own JavaScript language parses are JS/TS; the plugin's languages name theirs in the AST. */
const ESLINT_JS_LANGUAGE = LANGUAGES.find((language) => language.eslintConfig === 'recommended')!; // the table has one

const STATUS_WORD = new RegExp(statusWordSpellings(LANGUAGES.map((language) => language.vocabulary)).join('|'));

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
  const path = displayPathInside(file.cwd, absolutePath);
  const text = file.sourceCode.text;
  // As `ringlint scan --max-file-size`'s default: larger files are generated, not hand-written consumers.
  if (Buffer.byteLength(text, 'utf8') > DEFAULT_MAX_FILE_SIZE) {
    const mentionsStatus = STATUS_WORD.test(text);
    const message = `file is over ringlint's size limit of ${DEFAULT_MAX_FILE_SIZE / 1024 / 1024} MiB; not analysed although it mentions the status word`;
    return { path, findings: [], errors: mentionsStatus ? [{ file: path, message }] : [] };
  }
  // As `ringlint scan` judges the file's bytes (ESLint decoded them as UTF-8: NUL and control bytes
  // are the same characters). A UTF-16 or binary .c file reaches the C language as text, which
  // parses to nothing: without this the file would pass as clean.
  if (looksBinary(Buffer.from(text.slice(0, BINARY_SAMPLE_BYTES), 'utf8'))) return { path, findings: [], errors: [{ file: path, message: BINARY_FILE_PROBLEM }] };
  try {
    const language = LANGUAGES.find(({ id }) => id === file.sourceCode.ast?.ringlintLanguage) ?? ESLINT_JS_LANGUAGE;
    const outcome = analyses.get(language.analysis)!.analyzeLinted({ // every language's analysis is loaded
      // Lines as gcc counts them in the tree-sitter languages, as `ringlint scan` reads files (files/line-ends.ts);
      // TypeScript counts a lone CR itself, and typed linting's program must see the text it holds.
      path, absolutePath, text: language.eslintConfig === 'c' ? compilerLineEnds(text) : text, language,
      parserProgram: file.sourceCode.parserServices?.program ?? undefined,
      displayPath: (fileName) => displayPathInside(file.cwd, fileName),
    });
    return { path, findings: outcome.findings, errors: outcome.errors };
  } catch (error) {
    // A bug in the analysis must not take the whole ESLint run down with it.
    return { path, findings: [], errors: [{ file: path, message: `internal error while analysing: ${error instanceof Error ? error.message : String(error)}` }] };
  }
}
