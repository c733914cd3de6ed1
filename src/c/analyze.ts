/**
 * The C analyzer: indexes every unit of a scan (so macros and helpers connect across files), then
 * evaluates each consumer function and turns its decisions into findings.
 */
import type { FileError, Finding, RuleId } from '../model/finding.js';
import {
  acquireMessage,
  maskPrecedenceMessage,
  ownershipMessage,
  releaseMessage,
  relatedLocation,
  relatedLocations,
  uncheckedAccessMessage,
} from '../model/finding-messages.js';
import { ruleById } from '../rules/catalog.js';
import { CEvaluator, NestingTooDeep, type DecisionEvent, type ReleaseEvent } from './evaluator.js';
import { collectFunctionFacts, STATUS_FIELDS } from './function-facts.js';
import type { SyntaxNode } from './parser.js';
import { CProgram, definitionTree, FRAGMENT_FUNCTION, spanIn, type CSourceUnit, type FunctionDefinition, type MacroDefinition, type ParsedUnit, type Placement } from './program.js';
import { parseMacroBody } from './macro-body.js';
import { freeSlotCountOnly } from './free-slot-count.js';
import { operatorOf } from './tree-walk.js';
import { firstUncheckedAccess, type UncheckedAccess } from './unchecked-access.js';

export type { CSourceUnit } from './program.js';

export interface CAnalysis {
  findings: Finding[];
  errors: FileError[];
  /** What files outside this analysis could still contribute: for the scan's prefilter. */
  reach: AnalysisReach;
}

export interface AnalysisReach {
  /** Macros and functions that carry the status word and that other files can use. */
  exportedCarriers: string[];
  /** Called with the status word as an argument, but defined nowhere in the analysed files. */
  unresolvedStatusCallees: string[];
}

/** `onUnitIndexed` hears how many units are parsed and indexed: most of the analysis's time on a large tree. */
export function analyzeC(sources: CSourceUnit[], onUnitIndexed?: (indexed: number) => void): CAnalysis {
  const program = new CProgram();
  const errors: FileError[] = [];
  for (const [index, source] of sources.entries()) {
    try {
      program.add(source);
    } catch (error) {
      errors.push({ file: source.path, message: `could not parse: ${describe(error)}` });
    }
    onUnitIndexed?.(index + 1);
  }
  const evaluator = new CEvaluator(program);
  const findings = new Map<string, Finding>();
  const keep = (finding: Finding): void => {
    const key = `${finding.file}:${finding.line}:${finding.column}:${finding.ruleId}`;
    if (!findings.has(key)) findings.set(key, finding);
  };
  for (const unit of program.units) {
    for (const node of unit.masks) {
      const precedence = maskPrecedenceFinding(node, unit);
      if (precedence) keep(precedence);
    }
    for (const macro of macrosOf(unit)) {
      const body = macro.body.includes('&') && program.mentionsStatus(macro.identifiers) ? parseMacroBody(macro) : undefined;
      for (const node of body?.root.descendantsOfType('binary_expression') ?? []) {
        const precedence = maskPrecedenceFinding(node, unit, body!.placement); // body is set when the loop runs
        if (precedence) keep(precedence);
      }
    }
    // Producer code (the kernel's af_packet.c, emulators) publishes TP_STATUS_USER: not a consumer.
    if (unit.producer) continue;
    for (const definition of unit.functions) {
      try {
        for (const finding of analyzeFunction(evaluator, program, definition)) keep({ ...finding, enclosingName: definition.name });
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
  const reach: AnalysisReach = {
    exportedCarriers: [
      ...program.exportedMacroCarriers(),
      ...program.exportedFunctionCandidates().filter((helper) => evaluator.returnsStatus(helper)).map((helper) => helper.name),
    ].sort(),
    unresolvedStatusCallees: [...program.unresolvedStatusCallees].sort(),
  };
  return { findings: [...findings.values()], errors, reach };
}

function macrosOf(unit: ParsedUnit): MacroDefinition[] {
  return unit.macros.filter((macro) => macro.params !== null);
}


function analyzeFunction(evaluator: CEvaluator, program: CProgram, definition: FunctionDefinition): Finding[] {
  if (!program.mentionsStatus(definition.identifiers)) return [];
  const body = definitionTree(definition, definition.unit.text).childForFieldName('body');
  if (!body) return [];
  const facts = collectFunctionFacts(body);
  const decisions: DecisionEvent[] = [];
  const releases: ReleaseEvent[] = [];
  evaluator.evaluateFunction(body, definition.unit, { decision: (e) => decisions.push(e), release: (e) => releases.push(e) }, facts.txOnly);

  const findings: Finding[] = [];
  const hasCallers = program.hasCallers(definition);
  const readsReported = new Set<string>();
  for (const event of decisions) {
    // A helper that returns its decision is reported where it is called.
    if (hasCallers && event.decision.via.length === 0 && insideReturn(event.site, body)) continue;
    const { ruleId } = event.decision;
    if (ruleId && !freeSlotCountOnly(event, facts)) {
      findings.push(decisionFinding(ruleId, event, definition.unit));
    }
    const read = event.decision.tested.read;
    const readKey = `${read.file}:${read.line}:${read.column}`;
    if (!event.decision.tested.acquire && facts.barriers.length === 0 && facts.touchesFrames && !readsReported.has(readKey)) {
      readsReported.add(readKey);
      findings.push(acquireFinding(event, definition.unit));
    }
  }
  for (const release of releases) {
    if (release.ordered || facts.barriers.some((offset) => offset < release.site.startIndex)) continue;
    findings.push(releaseFinding(release, definition.unit));
  }
  // A document's fragment is an excerpt: the test its hand-back or read follows is elsewhere in the text.
  if (!facts.txOnly && definition.name !== FRAGMENT_FUNCTION) {
    const unchecked = firstUncheckedAccess({ body, parameters: new Set(definition.params), hasCallers, decisions, releases });
    if (unchecked) findings.push(uncheckedAccessFinding(unchecked, definition.unit));
  }
  return findings;
}

function insideReturn(node: SyntaxNode, body: SyntaxNode): boolean {
  for (let current: SyntaxNode | null = node; current && current.id !== body.id; current = current.parent) {
    if (current.type === 'return_statement') return true;
  }
  return false;
}

// ---- findings ----------------------------------------------------------------------------------

function decisionFinding(ruleId: RuleId, event: DecisionEvent, unit: ParsedUnit): Finding {
  const span = spanIn(event.site, unit.placement);
  return {
    ruleId,
    severity: ruleById(ruleId).severity,
    file: unit.path,
    ...span,
    message: ownershipMessage(ruleId, event.decision, 'c'),
    related: relatedLocations(event.decision, span, unit.path),
    ...(event.shape ? { decisionShape: event.shape } : {}),
  };
}

function acquireFinding(event: DecisionEvent, unit: ParsedUnit): Finding {
  const read = event.decision.tested.read;
  const span = spanIn(event.site, unit.placement);
  return {
    ruleId: 'RL005',
    severity: ruleById('RL005').severity,
    file: unit.path,
    ...span,
    message: acquireMessage('c'),
    related: read.file === unit.path && read.line === span.line ? event.decision.via.map(relatedLocation) : [...event.decision.via.map(relatedLocation), relatedLocation(read)],
  };
}

function releaseFinding(release: ReleaseEvent, unit: ParsedUnit): Finding {
  return {
    ruleId: 'RL006',
    severity: ruleById('RL006').severity,
    file: unit.path,
    ...spanIn(release.site, unit.placement),
    message: releaseMessage('c'),
    related: release.via.map(relatedLocation),
  };
}

function uncheckedAccessFinding(access: UncheckedAccess, unit: ParsedUnit): Finding {
  const place = (node: SyntaxNode, message: string) => {
    const span = spanIn(node, unit.placement);
    return { file: unit.path, line: span.line, column: span.column, message };
  };
  return {
    ruleId: 'RL008',
    severity: ruleById('RL008').severity,
    file: unit.path,
    ...spanIn(access.node, unit.placement),
    message: uncheckedAccessMessage(access.kind),
    related: [
      ...(access.wait ? [place(access.wait, 'waits for readiness here, which does not say which slot is ready')] : []),
      ...(access.handBack ? [place(access.handBack, 'and hands the slot back here')] : []),
    ],
  };
}

/** `s & TP_STATUS_USER == 0` is `s & (TP_STATUS_USER == 0)`: always 0. */
function maskPrecedenceFinding(node: SyntaxNode, unit: ParsedUnit, placement: Placement = unit.placement): Finding | undefined {
  if (operatorOf(node) !== '&') return undefined;
  const comparison = [node.childForFieldName('left'), node.childForFieldName('right')].find(
    (side) => side?.type === 'binary_expression' && ['==', '!=', '<', '>', '<=', '>='].includes(operatorOf(side) ?? ''),
  );
  if (!comparison) return undefined;
  const mentionsStatus = /\bTP_STATUS_\w+/.test(node.text) || [...STATUS_FIELDS].some((field) => node.text.includes(field));
  if (!mentionsStatus) return undefined;
  const rule = ruleById('RL007');
  return {
    ruleId: 'RL007',
    severity: rule.severity,
    file: unit.path,
    ...spanIn(node, placement),
    message: maskPrecedenceMessage(node.text, operatorOf(comparison) ?? '=='),
    related: [],
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
