/**
 * The TypeScript/JavaScript analyzer: evaluates every function and each module's top level of the
 * analysed files with the status-word model, in a TypeScript program, and turns decisions into the
 * same findings the C analyzer produces. The program is either one of ours (a ts-morph project per
 * tsconfig.json, for `ringlint scan` and untyped ESLint runs) or a caller's (typescript-eslint's, in
 * typed ESLint runs), read through the compiler API of the TypeScript that built it.
 */
import { dirname, join, relative, sep } from 'node:path';
import type { Project, ts } from 'ts-morph';
import type { AnalysisInputs, AnalysisOutcome, SourceUnit } from '../languages/language.js';
import type { FileError, Finding, Span } from '../model/finding.js';
import { SCRIPT_VOCABULARY, statusFields } from '../model/status-vocabulary.js';
import { FindingSet, maskPrecedenceFinding, unitFindings } from '../model/unit-findings.js';
import { SCRIPT_LANGUAGE } from './language.js';
import { NestingTooDeep } from '../model/evaluation-frame.js';
import { TsEvaluator, type DecisionEvent, type ReleaseEvent } from './evaluator.js';
import { freeSlotCountOnly } from './free-slot-count.js';
import { collectFunctionFacts } from './function-context.js';
import { indexCalls, unitsOf, type AnalysisUnit, type CallIndex } from './function-units.js';
import { compilerOptionsFrom, createProject, TsconfigLocator, tsMorph } from './project.js';
import { StatusConstants } from './status-constants.js';
import type { TypeScriptApi } from './typescript-api.js';

export type TsSourceFile = Pick<SourceUnit, 'path' | 'absolutePath' | 'text'>;

type TsAnalysis = Pick<AnalysisOutcome, 'findings' | 'errors'>;

/**
 * An analysis with what else it depends on: every file the programs loaded besides those analysed,
 * and the tsconfig.json files used and those whose appearance would change which one is used (in
 * each analysed file's directory and above, up to the one used).
 */
export function analyzeTypeScript(files: TsSourceFile[]): TsAnalysis & { inputs: AnalysisInputs } {
  const session = new TypeScriptSession();
  const findings: Finding[] = [];
  const errors: FileError[] = [];
  const inputs: AnalysisInputs = { loaded: new Map(), configFiles: [] };
  const configFiles = new Set<string>();
  const groups = new Map<string | undefined, TsSourceFile[]>();
  const locator = new TsconfigLocator();
  for (const file of files) {
    const tsconfig = locator.nearest(dirname(file.absolutePath));
    configCandidates(dirname(file.absolutePath), tsconfig).forEach((path) => configFiles.add(path));
    const group = groups.get(tsconfig);
    if (group) group.push(file);
    else groups.set(tsconfig, [file]);
  }
  for (const [tsconfig, group] of groups) {
    const outcome = session.analyze(group, tsconfig);
    findings.push(...outcome.findings);
    errors.push(...outcome.errors);
    const analysed = new Set(group.map((file) => file.absolutePath));
    session.loadedFiles(tsconfig).forEach((text, path) => {
      if (!analysed.has(path)) inputs.loaded.set(path, text);
    });
    session.configFilesRead(tsconfig).forEach((path) => configFiles.add(path));
  }
  inputs.configFiles = [...configFiles];
  return { findings, errors, inputs };
}

/**
 * The tsconfig.json paths looked for from `directory` up to the one found (TsconfigLocator's
 * search), the one found included; up to the root when none was.
 */
function configCandidates(directory: string, found: string | undefined): string[] {
  const candidates: string[] = [];
  for (let at = directory; ; at = dirname(at)) {
    const candidate = join(at, 'tsconfig.json');
    candidates.push(candidate);
    if (candidate === found || dirname(at) === at) return candidates;
  }
}

/** A file of the program to report findings for. */
export interface ProgramFile {
  source: ts.SourceFile;
  /** The path its findings carry. */
  path: string;
}

export interface ProgramInput {
  /** The compiler API of the TypeScript that built `program`. */
  ts: TypeScriptApi;
  program: ts.Program;
  files: readonly ProgramFile[];
  /** The display path of any other file of the program (helpers followed into it, related locations). */
  displayPath(fileName: string): string;
}

/**
 * Analyses files of an existing program. Its other source files (imported, read from disk by the
 * compiler) lend their helpers; declaration files and node_modules do not.
 */
export function analyzeInProgram(input: ProgramInput, errors: FileError[] = []): TsAnalysis {
  const { ts, program, files } = input;
  const paths = new Map(files.map((file) => [file.source.fileName, file.path]));
  const displayPath = (source: ts.SourceFile): string => paths.get(source.fileName) ?? input.displayPath(source.fileName);
  const context = program.getSourceFiles().filter((source) => !source.isDeclarationFile && !program.isSourceFileFromExternalLibrary(source) && !/[\\/]node_modules[\\/]/.test(source.fileName));
  // Before anything walks the trees: binding the program sets the parent pointers they follow.
  const checker = program.getTypeChecker();
  const sources = files.map((file) => file.source);
  const index = indexCalls(ts, sources, context);
  const analysis: UnitAnalysis = {
    ts, index, mayInvolveStatus: statusTextTest(index.carriers),
    evaluator: new TsEvaluator({ ts, checker, constants: new StatusConstants(ts, checker), index, displayPath }),
  };
  const findings = new FindingSet();
  for (const source of sources) {
    const path = displayPath(source);
    try {
      for (const finding of maskPrecedenceFindings(ts, source, path)) findings.add(finding);
    } catch (error) {
      errors.push({ file: path, message: `could not check mask precedence: ${describe(error)}` });
    }
    // Publishing TP_STATUS_USER is what a producer (an emulator, a test kernel) does, not a consumer.
    if (PUBLISHES_USER_BIT.test(source.text)) continue;
    for (const unit of unitsOf(ts, source)) {
      try {
        for (const finding of analyzeUnit(analysis, unit, path)) findings.add(unit.name ? { ...finding, enclosingName: unit.name } : finding);
      } catch (error) {
        if (!(error instanceof NestingTooDeep)) throw error;
        const where = source.getLineAndCharacterOfPosition((error.node as ts.Node).getStart(source)).line + 1;
        errors.push({ file: path, message: `${error.message} in ${unit.name ?? 'a function'} near line ${where}; that function was not analysed` });
      }
    }
  }
  return { findings: findings.toArray(), errors };
}

/**
 * Keeps one project per tsconfig so repeated analyses (an ESLint run, file by file) reuse parsed
 * lib files and unchanged sources instead of building a program from scratch each time.
 */
export class TypeScriptSession {
  private readonly projects = new Map<string, { project: Project; problem?: string; configFiles: readonly string[] }>();

  analyze(files: TsSourceFile[], tsconfig: string | undefined): TsAnalysis {
    const { ts } = tsMorph();
    const errors: FileError[] = [];
    const { project, problem } = this.projectFor(tsconfig);
    if (problem && tsconfig) errors.push({ file: displayPathFor(tsconfig), message: problem });
    const parsed: TsSourceFile[] = [];
    for (const file of files) {
      try {
        project.createSourceFile(file.absolutePath, file.text, { overwrite: true });
        parsed.push(file);
      } catch (error) {
        // The TypeScript parser recurses; generated code can nest deeper than the stack allows.
        errors.push({ file: file.path, message: `could not parse: ${describe(error)}` });
      }
    }
    const program = project.getProgram().compilerObject;
    const programFiles: ProgramFile[] = [];
    for (const file of parsed) {
      const source = program.getSourceFile(project.getSourceFileOrThrow(file.absolutePath).getFilePath());
      if (!source) {
        errors.push({ file: file.path, message: 'could not be loaded into the TypeScript program' });
        continue;
      }
      programFiles.push({ source, path: file.path });
      const syntax = program.getSyntacticDiagnostics(source);
      const first = syntax[0];
      if (first) {
        const line = first.start !== undefined ? source.getLineAndCharacterOfPosition(first.start).line + 1 : 1;
        errors.push({
          file: file.path,
          message: `syntax error at line ${line}: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}${syntax.length > 1 ? ` (and ${syntax.length - 1} more)` : ''}; analysed what could be parsed`,
        });
      }
    }
    return analyzeInProgram({ ts, program, files: programFiles, displayPath: displayPathFor }, errors);
  }

  /**
   * Path → text of every file the program for `tsconfig` has loaded, TypeScript's own lib files
   * aside: what its analyses read besides what they were given (imported helpers, declarations).
   */
  loadedFiles(tsconfig: string | undefined): Map<string, string> {
    const program = this.projectFor(tsconfig).project.getProgram().compilerObject;
    const loaded = new Map<string, string>();
    for (const source of program.getSourceFiles()) if (!program.isSourceFileDefaultLibrary(source)) loaded.set(source.fileName, source.text);
    return loaded;
  }

  /** The tsconfig for `tsconfig` and the files its `extends` chain read (project.ts). */
  configFilesRead(tsconfig: string | undefined): readonly string[] {
    return this.projectFor(tsconfig).configFiles;
  }

  private projectFor(tsconfig: string | undefined): { project: Project; problem?: string; configFiles: readonly string[] } {
    const key = tsconfig ?? '';
    let entry = this.projects.get(key);
    if (!entry) {
      const resolved = compilerOptionsFrom(tsconfig);
      entry = { project: createProject(resolved.options), problem: resolved.problem, configFiles: resolved.configFiles };
      this.projects.set(key, entry);
    }
    return entry;
  }
}

function displayPathFor(absolutePath: string): string {
  const path = relative(process.cwd(), absolutePath);
  return (path.startsWith('..') ? absolutePath : path).split(sep).join('/');
}

/** What every unit of one program is analysed with. */
interface UnitAnalysis {
  ts: TypeScriptApi;
  index: CallIndex;
  evaluator: TsEvaluator;
  mayInvolveStatus: (text: string) => boolean;
}

/** Cheap text test before evaluating a unit: status-like names, Atomics, or a call of a helper that carries the status. */
function statusTextTest(carriers: ReadonlySet<string>): (text: string) => boolean {
  let carrierPattern: RegExp | undefined;
  return (text) => {
    if (/status|Atomics/i.test(text)) return true;
    if (carriers.size === 0) return false;
    carrierPattern ??= new RegExp(`\\b(${[...carriers].map(escapeRegExp).join('|')})\\b`);
    return carrierPattern.test(text);
  };
}

function analyzeUnit({ ts, index, evaluator, mayInvolveStatus }: UnitAnalysis, unit: AnalysisUnit, path: string): Finding[] {
  const body = ts.isSourceFile(unit.node) ? unit.node : unit.node.body;
  if (!body || !mayInvolveStatus(body.getText())) return [];
  const facts = collectFunctionFacts(ts, body);
  const decisions: DecisionEvent[] = [];
  const releases: ReleaseEvent[] = [];
  evaluator.evaluateUnit(body, { decision: (event) => decisions.push(event), release: (event) => releases.push(event) }, facts.txOnly);

  const hasCallers = unit.name !== undefined && (index.callCounts.get(unit.name) ?? 0) > 0;
  return unitFindings<ts.Node>({
    path,
    dialect: SCRIPT_LANGUAGE.dialect,
    decisions,
    releases,
    spanOf,
    reportedByCallers: (event) => hasCallers && event.decision.via.length === 0 && insideReturn(ts, event.site, body),
    freeSlotCountOnly: (event) => freeSlotCountOnly(ts, event, facts),
    touchesFrames: facts.touchesFrames,
    // The TS evaluator marks reads ordered by an Atomics access itself; JS has no other barrier.
    readsOrdered: false,
    releaseOrdered: (release) => release.ordered,
  });
}

/** As in C: `| TP_STATUS_USER`, `h.tp_status = TP_STATUS_USER`, `Atomics.store(…, TP_STATUS_USER)`. */
const PUBLISHES_USER_BIT =
  /\|\s*TP_STATUS_USER\b|\bTP_STATUS_USER\s*\|(?!\|)|\b(tp_?[sS]tatus|block_?[sS]tatus)\s*=(?!=)[^;\n]*\bTP_STATUS_USER\b|Atomics\.store\([^;\n]*,\s*TP_STATUS_USER\s*\)/;

function isComparison(ts: TypeScriptApi, kind: ts.SyntaxKind): boolean {
  return [
    ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken,
    ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken,
    ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken,
  ].includes(kind);
}
/** The vocabulary's names, and a `TpStatus` enum's members. */
const MENTIONS_STATUS = new RegExp([`${SCRIPT_VOCABULARY.constantPrefix}\\w+`, ...statusFields(SCRIPT_VOCABULARY), 'TpStatus\\.'].join('|'));

/** `s & TP_STATUS_USER === 0` is `s & (TP_STATUS_USER === 0)`: always 0. */
function maskPrecedenceFindings(ts: TypeScriptApi, source: ts.SourceFile, path: string): Finding[] {
  const findings: Finding[] = [];
  const pending: ts.Node[] = [source];
  // An explicit stack: generated files nest deeper than the call stack allows.
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.AmpersandToken) {
      const comparison = [node.left, node.right].find((side): side is ts.BinaryExpression => ts.isBinaryExpression(side) && isComparison(ts, side.operatorToken.kind));
      if (comparison && MENTIONS_STATUS.test(node.getText(source))) {
        const operator = comparison.operatorToken.getText(source);
        findings.push(maskPrecedenceFinding(path, spanOf(node), node.getText(source), operator));
      }
    }
    pending.push(...node.getChildren(source));
  }
  return findings;
}

function spanOf(node: ts.Node): Span {
  const source = node.getSourceFile();
  const start = source.getLineAndCharacterOfPosition(node.getStart(source));
  const end = source.getLineAndCharacterOfPosition(node.getEnd());
  return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

function insideReturn(ts: TypeScriptApi, node: ts.Node, body: ts.Node): boolean {
  for (let current: ts.Node | undefined = node; current && current !== body; current = current.parent) {
    if (ts.isReturnStatement(current)) return true;
    // An arrow's expression body is its return value.
    if (current.parent && ts.isArrowFunction(current.parent) && current.parent.body === current) return true;
  }
  return false;
}


function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
