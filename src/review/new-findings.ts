/**
 * Which findings a change introduces, and where to report them so that a pull request shows them.
 *
 * A finding is introduced when its test sits on a changed line (a new use, even of an old macro)
 * or when one of the places it goes through changed (a macro or helper definition, the test inside
 * it, the status read): an old use of a macro or helper made unsafe now. The second kind is
 * reported at the changed definition — the line that is in the diff, where review tools show it —
 * once for all its uses, which become related locations. Its use sites are usually not in the diff.
 * A use that changed too is one of those uses, not a second finding: fixing the definition fixes
 * both.
 *
 * Baselines and suppressions apply before this, to the findings at their uses: a baselined use of a
 * macro adds nothing at the definition.
 */
import type { Finding, RelatedLocation, Span } from '../model/finding.js';
import { compareFindings } from '../model/finding-order.js';
import { fixPlace, pointAt, type FixPlace } from '../model/fix-place.js';
import type { ChangedLines } from './changed-lines.js';

export function introducedFindings(findings: readonly Finding[], changed: ChangedLines, texts: ReadonlyMap<string, string>): Finding[] {
  const kept: Finding[] = [];
  const atDefinitions = new Map<string, { place: Place; uses: Finding[] }>();
  for (const finding of findings) {
    const where = reportedPlace(finding, changed);
    if (where === undefined) continue;
    if (where === 'site') {
      kept.push(finding);
      continue;
    }
    const key = `${finding.ruleId}\0${where.file}\0${where.line}\0${where.column}`;
    const group = atDefinitions.get(key);
    if (group) group.uses.push(finding);
    else atDefinitions.set(key, { place: where, uses: [finding] });
  }
  const relocated = [...atDefinitions.values()].map(({ place, uses }) => atDefinition(place, uses, texts));
  return [...kept, ...relocated].sort(compareFindings);
}

/** A place in a file; `point` when only its start is known (the report spans the rest of its line). */
type Place = Omit<FixPlace, 'note'>;

/**
 * `site` to keep the finding where it is, a changed definition to report it at, or undefined when
 * the change did not introduce it.
 */
function reportedPlace(finding: Finding, changed: ChangedLines): Place | 'site' | undefined {
  const fix = fixPlace(finding);
  if (fix && placeChanged(fix, changed)) return fix;
  if (placeChanged({ ...finding, point: false }, changed)) return 'site';
  // The change is elsewhere in the chain (the macro's `#define` line, a read inside it): report the
  // innermost changed place, closest to the test.
  const chain = finding.related.filter((related) => related.kind !== 'use' && changed.isChanged(related.file, related.line));
  const innermost = chain.at(-1);
  return pointAt(innermost);
}

function placeChanged(place: Place, changed: ChangedLines): boolean {
  for (let line = place.line; line <= place.endLine; line++) if (changed.isChanged(place.file, line)) return true;
  return false;
}

/** One finding at the changed definition, its uses as related locations, then the places they go through. */
function atDefinition(place: Place, uses: readonly Finding[], texts: ReadonlyMap<string, string>): Finding {
  const first = uses[0]!; // a group has at least one use
  const lineText = place.point ? texts.get(place.file)?.split(/\r?\n/)[place.line - 1] : undefined;
  const span: Span = {
    line: place.line,
    column: place.column,
    endLine: place.endLine,
    endColumn: lineText !== undefined ? Math.max(place.column + 1, lineText.length + 1) : place.point ? place.column + 1 : place.endColumn,
  };
  const related = uses.map(({ file, line, column, endLine, endColumn, enclosingName }): RelatedLocation => {
    const message = enclosingName ? `used in ${enclosingName}()` : 'used here';
    return { file, line, column, endLine, endColumn, message, kind: 'use' };
  });
  const seen = new Set(related.map(key));
  seen.add(key(place));
  for (const use of uses) {
    for (const through of use.related) {
      if (seen.has(key(through))) continue;
      seen.add(key(through));
      related.push(through);
    }
  }
  // One fix for all uses only when they share it (the test is in the definition); a read macro
  // used by several tests leaves one fix per use, which `ringlint scan --fix` applies.
  const shape = first.decisionShape;
  const shared = shape && uses.every((use) => use.decisionShape && key(use.decisionShape.test) === key(shape.test));
  const { decisionShape: _shape, enclosingName: _enclosing, ...common } = first;
  return { ...common, file: place.file, ...span, related, ...(shared ? { decisionShape: shape } : {}) };
}

function key(place: { file: string; line: number; column: number }): string {
  return `${place.file}\0${place.line}\0${place.column}`;
}

