/**
 * The TypeScript/JavaScript analyzer: evaluates every function and each module's top level of the
 * analysed files with the status-word model, in a TypeScript program, and turns decisions into the
 * same findings the C analyzer produces. The program is either one of ours (a ts-morph project per
 * tsconfig.json, for `ringlint scan` and untyped ESLint runs) or a caller's (typescript-eslint's, in
 * typed ESLint runs), read through the compiler API of the TypeScript that built it.
 */
import { dirname } from 'node:path';
import type { Project, ts } from 'ts-morph';
import { displayPathInside } from '../files/display-path.js';
import type { AnalysisInputs, AnalysisOutcome, SourceUnit } from '../languages/language.js';
import type { FileError, Finding } from '../model/finding.js';
import { spanOf } from './decision-shape.js';
import { SCRIPT_VOCABULARY, statusFields } from '../model/status-vocabulary.js';
import { FindingSet, maskPrecedenceFinding, unitFindings } from '../model/unit-findings.js';
import { SCRIPT_LANGUAGE } from './language.js';
import { NestingTooDeep } from '../model/evaluation-frame.js';
import { TsEvaluator, type DecisionEvent, type ReleaseEvent } from './evaluator.js';
import { freeSlotCountOnly } from './free-slot-count.js';
import { collectFunctionFacts } from './function-context.js';
import { indexCalls, unitsOf, type AnalysisUnit } from './function-units.js';
import { compilerOptionsFrom, tsconfigSearch, tsMorph, type ResolvedOptions } from './project.js';
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
  const loaded = new Map<string, string>();
  const configFiles = new Set<string>();
  const groups = new Map<string | undefined, TsSourceFile[]>();
  for (const file of files) {
    const { found: tsconfig, candidates } = tsconfigSearch(dirname(file.absolutePath));
    candidates.forEach((path) => configFiles.add(path));
    const group = groups.get(tsconfig);
    if (group) group.push(file);
    else groups.set(tsconfig, [file]);
  }
  for (const [tsconfig, group] of groups) {
    const outcome = session.analyze(group, tsconfig);
    findings.push(...outcome.findings);
    errors.push(...outcome.errors);
    const analysed = new Set(group.map((file) => file.absolutePath));
    const { project, configFiles: read } = session.projectFor(tsconfig);
    // Besides what it was given: imported helpers, declarations; TypeScript's own lib files aside.
    const program = project.getProgram().compilerObject;
    for (const source of program.getSourceFiles()) {
      if (!program.isSourceFileDefaultLibrary(source) && !analysed.has(source.fileName)) loaded.set(source.fileName, source.text);
    }
    read.forEach((path) => configFiles.add(path));
  }
  return { findings, errors, inputs: { loaded, configFiles: [...configFiles] } };
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
  const evaluator = new TsEvaluator({ ts, checker, constants: new StatusConstants(ts, checker), index, displayPath });
  const mayInvolveStatus = statusTextTest(index.carriers);
  const analyzeUnit = (unit: AnalysisUnit, path: string): Finding[] => {
    const body = ts.isSourceFile(unit.node) ? unit.node : unit.node.body;
    if (!body || !mayInvolveStatus(body.getText())) return [];
    const facts = collectFunctionFacts(ts, body);
    const decisions: DecisionEvent[] = [];
    const releases: ReleaseEvent[] = [];
    evaluator.evaluateUnit(body, { decision: (event) => decisions.push(event), release: (event) => releases.push(event) }, facts.txOnly);
    const hasCallers = unit.name !== undefined && index.called.has(unit.name);
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
  };
  const findings = new FindingSet();
  for (const source of sources) {
    const path = displayPath(source);
    for (const finding of maskPrecedenceFindings(ts, source, path)) findings.add(finding);
    // Publishing TP_STATUS_USER is what a producer (an emulator, a test kernel) does, not a consumer.
    if (PUBLISHES_USER_BIT.test(source.text)) continue;
    for (const unit of unitsOf(ts, source)) {
      try {
        for (const finding of analyzeUnit(unit, path)) findings.add(unit.name ? { ...finding, enclosingName: unit.name } : finding);
      } catch (error) {
        if (!(error instanceof NestingTooDeep)) throw error;
        const where = source.getLineAndCharacterOfPosition((error.node as ts.Node).getStart(source)).line + 1;
        errors.push({ file: path, message: `${error.message} in ${unit.name ?? 'a function'} near line ${where}; that function was not analysed` });
      }
    }
  }
  return { findings: findings.toArray(), errors };
}

type SessionProject = Omit<ResolvedOptions, 'options'> & { project: Project };

/**
 * Keeps one project per tsconfig so repeated analyses (an ESLint run, file by file) reuse parsed
 * lib files and unchanged sources instead of building a program from scratch each time.
 */
export class TypeScriptSession {
  private readonly projects = new Map<string | undefined, SessionProject>();

  analyze(files: TsSourceFile[], tsconfig: string | undefined): TsAnalysis {
    const { ts } = tsMorph();
    const errors: FileError[] = [];
    const { project, problem } = this.projectFor(tsconfig);
    if (problem && tsconfig) errors.push({ file: displayPathInside(process.cwd(), tsconfig), message: problem });
    const parsed: TsSourceFile[] = [];
    for (const file of files) {
      try {
        project.createSourceFile(file.absolutePath, file.text, { overwrite: true });
        parsed.push(file);
      } catch (error) {
        // The TypeScript parser recurses; generated code can nest deeper than the stack allows.
        errors.push({ file: file.path, message: `could not parse: ${error instanceof Error ? error.message : String(error)}` });
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
    return analyzeInProgram({ ts, program, files: programFiles, displayPath: (path) => displayPathInside(process.cwd(), path) }, errors);
  }

  /** The project for `tsconfig`, with why the tsconfig could not be used and the files its `extends` chain read (project.ts). */
  projectFor(tsconfig: string | undefined): SessionProject {
    let entry = this.projects.get(tsconfig);
    if (!entry) {
      const { options, ...resolved } = compilerOptionsFrom(tsconfig);
      entry = { ...resolved, project: new (tsMorph().Project)({ compilerOptions: options, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true }) };
      this.projects.set(tsconfig, entry);
    }
    return entry;
  }
}

/** Cheap text test before evaluating a unit: status-like names, Atomics, or a call of a helper that carries the status. */
function statusTextTest(carriers: ReadonlySet<string>): (text: string) => boolean {
  const carrierPattern = new RegExp(`\\b(${[...carriers].map(escapeRegExp).join('|')})\\b`);
  return (text) => /status|Atomics/i.test(text) || (carriers.size > 0 && carrierPattern.test(text));
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

