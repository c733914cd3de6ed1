/**
 * The C analyzer: indexes every unit of a scan (so macros and helpers connect across files), then
 * evaluates each consumer function and turns its decisions into findings.
 */
import type { AnalysisOutcome } from '../languages/language.js';
import type { FileError, Finding } from '../model/finding.js';
import { FindingSet, maskPrecedenceFinding, unitFindings } from '../model/unit-findings.js';
import { statusFields } from '../model/status-vocabulary.js';
import type { DecisionEvent, ReleaseEvent } from '../model/evaluation-events.js';
import { CEvaluator, NestingTooDeep } from './evaluator.js';
import { collectFunctionFacts } from './function-facts.js';
import type { SyntaxNode } from './parser.js';
import { CProgram, definitionTree, FRAGMENT_FUNCTION, spanIn, type CSourceUnit, type FunctionDefinition, type ParsedUnit, type Placement } from './program.js';
import { parseMacroBody } from './macro-body.js';
import { freeSlotCountOnly } from './free-slot-count.js';
import { operatorOf } from './tree-walk.js';
import { firstUncheckedAccess } from './unchecked-access.js';

export type { CSourceUnit } from './program.js';

/** `onUnitIndexed` hears how many units are parsed and indexed: most of the analysis's time on a large tree. */
export function analyzeC(sources: CSourceUnit[], onUnitIndexed?: (indexed: number) => void): AnalysisOutcome {
  const program = new CProgram();
  const errors: FileError[] = [];
  for (const [index, source] of sources.entries()) {
    try {
      program.add(source);
    } catch (error) {
      errors.push({ file: source.path, message: `could not parse: ${error instanceof Error ? error.message : String(error)}` });
    }
    onUnitIndexed?.(index + 1);
  }
  const evaluator = new CEvaluator(program);
  const findings = new FindingSet();
  for (const unit of program.units) {
    for (const node of unit.masks) {
      const precedence = maskPrecedenceAt(node, unit);
      if (precedence) findings.add(precedence);
    }
    for (const macro of unit.macros) {
      const body = macro.params !== null && macro.body.includes('&') && program.mentionsStatus(macro.identifiers) ? parseMacroBody(macro) : undefined;
      for (const node of body?.root.descendantsOfType('binary_expression') ?? []) {
        const precedence = maskPrecedenceAt(node, unit, body!.placement); // body is set when the loop runs
        if (precedence) findings.add(precedence);
      }
    }
    // Producer code (the kernel's af_packet.c, emulators) publishes TP_STATUS_USER: not a consumer.
    if (unit.producer) continue;
    for (const definition of unit.functions) {
      try {
        for (const finding of analyzeFunction(evaluator, program, definition)) findings.add({ ...finding, enclosingName: definition.name });
      } catch (error) {
        if (!(error instanceof NestingTooDeep)) throw error;
        const where = spanIn(error.node, unit.placement).line;
        errors.push({
          file: unit.path,
          message: `${error.message} in ${definition.name}() near line ${where}; that function was not analysed`,
        });
      }
    }
  }
  const reach = {
    exportedCarriers: program.exportedCarriers((helper) => evaluator.returnsStatus(helper)),
    unresolvedStatusCallees: [...program.unresolvedStatusCallees].sort(),
  };
  return { findings: findings.toArray(), errors, reach };
}

function analyzeFunction(evaluator: CEvaluator, program: CProgram, definition: FunctionDefinition): Finding[] {
  if (!program.mentionsStatus(definition.identifiers)) return [];
  const body = definitionTree(definition, definition.unit.text).childForFieldName('body');
  if (!body) return [];
  const { unit } = definition;
  const facts = collectFunctionFacts(body, unit.syntax);
  const decisions: DecisionEvent<SyntaxNode>[] = [];
  const releases: ReleaseEvent<SyntaxNode>[] = [];
  evaluator.evaluateFunction(definition, body, { decision: (e) => decisions.push(e), release: (e) => releases.push(e) }, facts.txOnly);
  const hasCallers = program.hasCallers(definition);
  return unitFindings<SyntaxNode>({
    path: unit.path,
    dialect: unit.syntax.language.dialect,
    decisions,
    releases,
    spanOf: (node) => spanIn(node, unit.placement),
    reportedByCallers: (event) => hasCallers && event.decision.via.length === 0 && insideReturn(event.site, body),
    freeSlotCountOnly: (event) => freeSlotCountOnly(event, facts),
    touchesFrames: facts.touchesFrames,
    readsOrdered: facts.barriers.length > 0,
    releaseOrdered: (release) => release.ordered || facts.barriers.some((offset) => offset < release.site.startIndex),
    // A document's fragment is an excerpt: the test its hand-back or read follows is elsewhere in the text.
    uncheckedAccess:
      facts.txOnly || definition.name === FRAGMENT_FUNCTION
        ? undefined
        : firstUncheckedAccess({ body, facts, parameters: new Set(definition.params), hasCallers, decisions, releases }),
  });
}

function insideReturn(node: SyntaxNode, body: SyntaxNode): boolean {
  for (let current: SyntaxNode | null = node; current && current.id !== body.id; current = current.parent) {
    if (current.type === 'return_statement') return true;
    // A C++ lambda's return is the lambda's, not the function's.
    if (current.type === 'lambda_expression') return false;
  }
  return false;
}

/** `s & TP_STATUS_USER == 0` is `s & (TP_STATUS_USER == 0)`: always 0. */
function maskPrecedenceAt(node: SyntaxNode, unit: ParsedUnit, placement: Placement = unit.placement): Finding | undefined {
  if (operatorOf(node) !== '&') return undefined;
  const comparison = [node.childForFieldName('left'), node.childForFieldName('right')].find(
    (side) => side?.type === 'binary_expression' && ['==', '!=', '<', '>', '<=', '>='].includes(operatorOf(side) ?? ''),
  );
  if (!comparison) return undefined;
  const { vocabulary } = unit.syntax.language;
  const mentionsStatus = new RegExp(`\\b${vocabulary.constantPrefix}\\w+`).test(node.text) || [...statusFields(vocabulary)].some((field) => node.text.includes(field));
  if (!mentionsStatus) return undefined;
  return maskPrecedenceFinding(unit.path, spanIn(node, placement), node.text, operatorOf(comparison) ?? '==');
}
