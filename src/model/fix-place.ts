/**
 * Where a finding's fix goes when that is not its own site: the test inside a macro or helper
 * (the ownership rules'), the status read inside one (RL005), the macro or helper that stores KERNEL
 * (RL006). The text report frames it; review reports a finding there when the change touched it.
 */
import { ruleById } from '../rules/catalog.js';
import type { Finding, RelatedLocation, Span } from './finding.js';

export interface FixPlace extends Span {
  file: string;
  /** Only the start is known (a related location's); the extent is the test's otherwise. */
  point: boolean;
  /** The related location that names this place, when one does. */
  note: RelatedLocation | undefined;
}

export function fixPlace(finding: Finding): FixPlace | undefined {
  const place = placeOf(finding);
  if (!place) return undefined;
  const outside = place.file !== finding.file || place.endLine < finding.line || place.line > finding.endLine;
  return outside ? place : undefined;
}

function placeOf(finding: Finding): FixPlace | undefined {
  if (ruleById(finding.ruleId).family === 'ownership') {
    const decided = finding.related.findLast((related) => related.kind === 'test');
    const test = finding.decisionShape?.test;
    if (!test) return pointAt(decided);
    const note = decided && decided.file === test.file && decided.line === test.line ? decided : undefined;
    return { file: test.file, line: test.line, column: test.column, endLine: test.endLine, endColumn: test.endColumn, point: false, note };
  }
  switch (finding.ruleId) {
    case 'RL005':
      return pointAt(finding.related.findLast((related) => related.kind === 'read'));
    case 'RL006':
      return pointAt(finding.related.findLast((related) => related.kind === 'macro' || related.kind === 'helper'));
    default:
      return undefined;
  }
}

/** A place known only by its start: a related location's, when there is one. */
export function pointAt(related: RelatedLocation | undefined): FixPlace | undefined {
  return related && { file: related.file, line: related.line, column: related.column, endLine: related.line, endColumn: related.column, point: true, note: related };
}
