/**
 * What ringlint knows of a language it analyses: one row per language (`language.ts` in the
 * language's front-end folder, listed in table.ts), as ast-grep's `crates/language` has one file per
 * language and one line in its table. Everything that picks files, searches their bytes, parses,
 * analyses, words messages, fixes or lints reads the row instead of naming a language. A row is
 * light: the front end behind it (tree-sitter, ts-morph) loads on first use.
 */
import type { FileError, Finding } from '../model/finding.js';
import type { MessageDialect } from '../model/finding-messages.js';
import type { StatusVocabulary } from '../model/status-vocabulary.js';
import type { SyntaxTree } from '../tree-sitter/grammar-parser.js';

export interface Language<Loaded extends FrontEnd = FrontEnd> {
  /** Its kind of file (`c`, `cpp`, `typescript`): what discovery, ringscan and units call it. */
  readonly id: string;
  /** Its name in messages. */
  readonly name: string;
  /** Lower case, with the dot. */
  readonly extensions: readonly string[];
  /** The info strings (Markdown) and directive arguments (reStructuredText) of its documentation code blocks. */
  readonly fenceLabels: readonly string[];
  readonly vocabulary: StatusVocabulary;
  readonly dialect: MessageDialect;
  /**
   * How a scan picks its files: by their bytes (the vocabulary's needles; its files' quoted
   * includes are followed), or every file (the analyzer skips what cannot matter).
   */
  readonly selection: 'needles' | 'every-file';
  /** `ringlint scan --fix` rewrites its files (it re-parses them to prove the fix parses). */
  readonly cliFixes: boolean;
  /** The ESLint plugin's config that lints its files: `recommended` (ESLint's JS language) or `c` (ringlint's). */
  readonly eslintConfig: 'recommended' | 'c';
  /** Units of the languages sharing an analysis are analysed together: C's helpers serve C++ callers. */
  readonly analysis: AnalysisKind;
  /** The heavy part, loaded once, on first use. */
  frontEnd(): Promise<Loaded>;
}

export interface FrontEnd {
  /** Languages tree-sitter parses: the relevance stage, the check that a fix still parses, the ESLint language's comments. */
  parse?(text: string): SyntaxTree;
}

/** A file, or a document's code block, to analyse. */
export interface SourceUnit {
  /** Display path (relative to the working directory, `/`-separated). */
  path: string;
  absolutePath: string;
  text: string;
  /** The 0-based file row of the text's first row: a document's code block is a unit of its own lines. 0 when absent. */
  rowBase?: number;
  language: Language;
}

/** What files outside an analysis could still contribute: for the scan's prefilter. */
export interface AnalysisReach {
  /** Macros and functions that carry the status word and that other files can use. */
  exportedCarriers: string[];
  /** Called with the status word as an argument, but defined nowhere in the analysed files. */
  unresolvedStatusCallees: string[];
}

export interface AnalysisOutcome {
  findings: Finding[];
  errors: FileError[];
  /** Present when the analysis can be widened by files not read yet (the scan's later rounds). */
  reach?: AnalysisReach;
  /** What the analysis read besides its units, when it reads more: a change to any of it can change the findings. */
  inputs?: AnalysisInputs;
}

/** Files an analysis read on its own (the scan cache stamps them). */
export interface AnalysisInputs {
  /**
   * Absolute path → text of every file read besides the units: imported helpers (inside the
   * scanned roots or not), declarations; not a compiler's own lib files.
   */
  loaded: Map<string, string>;
  /** Configuration files that shaped the analysis, and those whose appearance would change it. */
  configFiles: string[];
}

/** Both inputs together. */
export function mergedInputs(a: AnalysisInputs | undefined, b: AnalysisInputs | undefined): AnalysisInputs | undefined {
  if (!a || !b) return a ?? b;
  return { loaded: new Map([...a.loaded, ...b.loaded]), configFiles: [...new Set([...a.configFiles, ...b.configFiles])] };
}

/** A file ESLint lints, as the analysis sees it. */
export interface LintedUnit extends Omit<SourceUnit, 'rowBase'> {
  /** The program of the parser that linted it (typescript-eslint's, in typed linting), when there is one. */
  parserProgram?: unknown;
  /** The path findings carry for another file (a helper's, a related place's). */
  displayPath(absolutePath: string): string;
}

export interface Analysis {
  /** Parses a text now, while a scan's walk goes on, for the unit that will hold it. */
  prepare?(text: string, language: Language): void;
  /** `onUnitIndexed` hears how many units are parsed and indexed. */
  analyze(units: readonly SourceUnit[], onUnitIndexed?: (indexed: number) => void): AnalysisOutcome;
  /** One file for ESLint: macros and helpers of other files are not followed. */
  analyzeLinted(unit: LintedUnit): AnalysisOutcome;
}

/** An analyzer, loaded on first use with the rows of the languages it serves. */
export interface AnalysisKind {
  readonly name: string;
  load(languages: readonly Language[]): Promise<Analysis>;
}
