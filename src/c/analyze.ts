/**
 * The C analyzer: indexes every unit of a scan (so macros and helpers connect across files), then
 * evaluates each consumer function and turns its decisions into findings.
 */
import type { FileError, Finding, RelatedLocation, RuleId, Span } from '../model/finding.js';
import type { Decision, Origin } from '../model/status-value.js';
import { ruleById } from '../rules/catalog.js';
import { CEvaluator, NestingTooDeep, type DecisionEvent, type ReleaseEvent } from './evaluator.js';
import { collectFunctionFacts, STATUS_FIELDS } from './function-facts.js';
import type { SyntaxNode } from './parser.js';
import { CProgram, type CSourceUnit, type FunctionDefinition, type MacroDefinition, type ParsedUnit, type Placement } from './program.js';
import { parseMacroBody } from './macro-body.js';
import { freeSlotCountOnly } from './free-slot-count.js';
import { operatorOf } from './tree-walk.js';

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

export function analyzeC(sources: CSourceUnit[]): CAnalysis {
  const program = new CProgram();
  const errors: FileError[] = [];
  for (const source of sources) {
    try {
      program.add(source);
    } catch (error) {
      errors.push({ file: source.path, message: `could not parse: ${describe(error)}` });
    }
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
      const body = macro.body.includes('&') && program.mentionsStatus(macro.body) ? parseMacroBody(macro) : undefined;
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
        const where = error.node.startPosition.row + 1;
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
  const body = definition.node.childForFieldName('body');
  if (!body || !program.mentionsStatus(body.text)) return [];
  const facts = collectFunctionFacts(body);
  const decisions: DecisionEvent[] = [];
  const releases: ReleaseEvent[] = [];
  evaluator.evaluateFunction(body, definition.unit, { decision: (e) => decisions.push(e), release: (e) => releases.push(e) }, facts.txOnly);

  const findings: Finding[] = [];
  const hasCallers = (program.callCounts.get(definition.name) ?? 0) > 0;
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
  return findings;
}

function insideReturn(node: SyntaxNode, body: SyntaxNode): boolean {
  for (let current: SyntaxNode | null = node; current && current.id !== body.id; current = current.parent) {
    if (current.type === 'return_statement') return true;
  }
  return false;
}

// ---- findings ----------------------------------------------------------------------------------

function spanOf(node: SyntaxNode, placement?: Placement): Span {
  if (!placement) {
    return {
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
      endLine: node.endPosition.row + 1,
      endColumn: node.endPosition.column + 1,
    };
  }
  const map = ({ row, column }: { row: number; column: number }) => ({
    line: placement.rowBase + (row - placement.firstRow) + 1,
    column: (row === placement.firstRow ? placement.columnBase : 0) + column + 1,
  });
  const start = map(node.startPosition);
  const end = map(node.endPosition);
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

function related(origin: Origin): RelatedLocation {
  return { file: origin.file, line: origin.line, column: origin.column, message: origin.message };
}

/** Macro/helper definitions, the decision inside them, and the status read, unless it is the site itself. */
function relatedFor(decision: Decision, site: SyntaxNode, unit: ParsedUnit): RelatedLocation[] {
  const locations = decision.via.map(related);
  const read = decision.tested.read;
  const span = spanOf(site);
  const readInSite =
    read.file === unit.path &&
    (read.line > span.line || (read.line === span.line && read.column >= span.column)) &&
    (read.line < span.endLine || (read.line === span.endLine && read.column < span.endColumn));
  if (!readInSite && !locations.some((location) => sameLocation(location, read))) locations.push(related(read));
  return locations;
}

function sameLocation(a: RelatedLocation, b: Origin): boolean {
  return a.file === b.file && a.line === b.line && a.column === b.column;
}

const WHY: Record<RuleId, string> = {
  RL001:
    'a slot the kernel has claimed but not yet filled (TP_STATUS_IN_PROGRESS, proposed for V1/V2 rings) is neither KERNEL nor USER and would be taken as ready',
  RL002:
    'any non-zero status counts as ready, so a slot in the proposed TP_STATUS_IN_PROGRESS state would be read half-written',
  RL003: 'the kernel sets flag bits (COPY, LOSING, CSUMNOTREADY, VLAN_VALID, timestamp source…) alongside TP_STATUS_USER, so ready slots are missed',
  RL004: 'future-proofing: the IN_PROGRESS proposal leaves V3 alone, but "not KERNEL" is not the documented ownership test',
  RL005: '',
  RL006: '',
  RL007: '',
};

const FIX: Partial<Record<RuleId, string>> = {
  RL001: 'test the bit instead: (status & TP_STATUS_USER)',
  RL002: 'test the bit instead: (status & TP_STATUS_USER)',
  RL003: 'test the bit instead: (status & TP_STATUS_USER) != 0',
  RL004: 'test the bit instead: (block_status & TP_STATUS_USER)',
};

function decisionFinding(ruleId: RuleId, event: DecisionEvent, unit: ParsedUnit): Finding {
  const rule = ruleById(ruleId);
  const through = event.decision.via.find((origin) => origin.message.startsWith('through'));
  const route = through ? ` (${through.message})` : '';
  const subject = ruleId === 'RL004' ? 'Block ownership' : ruleId === 'RL003' ? 'Readiness' : 'Slot ownership';
  return {
    ruleId,
    severity: rule.severity,
    file: unit.path,
    ...spanOf(event.site),
    message: `${subject} is decided by a test that ${event.decision.describe}${route}: ${WHY[ruleId]}; ${FIX[ruleId]}.`,
    related: relatedFor(event.decision, event.site, unit),
    ...(event.shape ? { decisionShape: event.shape } : {}),
  };
}

function acquireFinding(event: DecisionEvent, unit: ParsedUnit): Finding {
  const read = event.decision.tested.read;
  return {
    ruleId: 'RL005',
    severity: ruleById('RL005').severity,
    file: unit.path,
    ...spanOf(event.site),
    message:
      'The status word that gates this slot is read without acquire ordering and the function has no barrier, so frame contents may be read before the kernel finished writing them; use __atomic_load_n(&…, __ATOMIC_ACQUIRE) or a read barrier.',
    related: read.file === unit.path && read.line === event.site.startPosition.row + 1 ? event.decision.via.map(related) : [...event.decision.via.map(related), related(read)],
  };
}

function releaseFinding(release: ReleaseEvent, unit: ParsedUnit): Finding {
  return {
    ruleId: 'RL006',
    severity: ruleById('RL006').severity,
    file: unit.path,
    ...spanOf(release.site),
    message:
      'The slot is handed back to the kernel (TP_STATUS_KERNEL stored) without release ordering, so the kernel may overwrite the frame while it is still being read; use __atomic_store_n(&…, TP_STATUS_KERNEL, __ATOMIC_RELEASE) or a barrier before the store.',
    related: release.via.map(related),
  };
}

/** `s & TP_STATUS_USER == 0` is `s & (TP_STATUS_USER == 0)`: always 0. */
function maskPrecedenceFinding(node: SyntaxNode, unit: ParsedUnit, placement?: Placement): Finding | undefined {
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
    ...spanOf(node, placement),
    message: `\`${node.text.replace(/\s+/g, ' ').trim()}\` parses as \`… & (${comparison.text})\` because \`${operatorOf(comparison)}\` binds tighter than \`&\`, so the test is constant; parenthesise the mask: \`(status & TP_STATUS_USER) ${operatorOf(comparison)} …\`.`,
    related: [],
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
