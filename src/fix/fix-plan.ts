/**
 * Which edits a set of findings asks for. Findings that go through one macro or helper share one
 * edit of its definition; of two overlapping edits the first (in file order) wins and the other
 * finding stays reported until the next run.
 */
import type { Finding } from '../model/finding.js';
import { AUTOFIXED_RULES } from '../rules/catalog.js';
import { editRegion, type EditRegion } from './edit-region.js';
import { ownershipRewrite } from './ownership-rewrite.js';
import type { TextEdit } from './text-edit.js';
import { LineIndex } from './text-positions.js';

export interface FixPlan {
  /** Non-overlapping edits by display path, in file order. */
  editsByFile: Map<string, TextEdit[]>;
  /** Where the edit that fixes each finding goes, when it has one. */
  fixes: Map<Finding, EditRegion>;
}

/** `canEdit` says which files fixes may touch (inside the scanned roots, a language we can re-check). */
export function planFixes(findings: readonly Finding[], texts: ReadonlyMap<string, string>, canEdit: (file: string) => boolean): FixPlan {
  const lineIndexes = new Map<string, LineIndex>();
  const candidates: Array<{ finding: Finding; edit: TextEdit }> = [];
  for (const finding of findings) {
    const shape = finding.decisionShape;
    if (!shape || !AUTOFIXED_RULES.has(finding.ruleId) || !canEdit(shape.test.file)) continue;
    const text = texts.get(shape.test.file);
    if (text === undefined) continue;
    let lines = lineIndexes.get(shape.test.file);
    if (!lines) lineIndexes.set(shape.test.file, (lines = new LineIndex(text)));
    const edit = ownershipRewrite(shape, text, lines);
    if (edit) candidates.push({ finding, edit });
  }
  candidates.sort((a, b) => (a.edit.file < b.edit.file ? -1 : a.edit.file > b.edit.file ? 1 : a.edit.start - b.edit.start || a.edit.end - b.edit.end));

  const plan: FixPlan = { editsByFile: new Map(), fixes: new Map() };
  const regionOf = (edit: TextEdit) => editRegion(edit, lineIndexes.get(edit.file)!); // indexed above, where the edit was made
  for (const { finding, edit } of candidates) {
    const accepted = plan.editsByFile.get(edit.file) ?? [];
    // In file order, accepted edits (of this file) do not overlap: only the last can be the same edit or overlap this one.
    const last = accepted.at(-1);
    if (last && last.start === edit.start && last.end === edit.end && last.replacement === edit.replacement) {
      plan.fixes.set(finding, regionOf(last));
      continue;
    }
    if (last && last.start < edit.end && edit.start < last.end) continue;
    accepted.push(edit);
    plan.editsByFile.set(edit.file, accepted);
    plan.fixes.set(finding, regionOf(edit));
  }
  return plan;
}
