/**
 * The fixes of one lint round: the mechanical fix of each shown finding (for the formats that show
 * fixes, and for --fix and --fix-dry-run) and, only for --fix and --fix-dry-run, the rewritten file
 * texts, checked with tree-sitter. Loaded on first use: a JSON scan plans no fixes, and a plan
 * alone (text, SARIF…) loads neither the rewriting nor tree-sitter.
 */
import type { FixedFile } from '../fix/apply-fixes.js';
import type { EditRegion } from '../fix/edit-region.js';
import { editableFiles } from '../fix/editable-files.js';
import { planFixes } from '../fix/fix-plan.js';
import type { FileError, Finding } from '../model/finding.js';

export interface RoundFixes {
  fixes: Map<Finding, EditRegion>;
  fixedFiles: FixedFile[];
  fixErrors: FileError[];
}

export interface RoundFixSpec {
  /** Roots that fixes must stay inside. */
  roots: readonly string[];
  cwd: string;
  /** Whether to produce the rewritten texts (--fix, --fix-dry-run), not only the fix of each finding. */
  rewrite: boolean;
}

export async function roundFixes(shown: readonly Finding[], sourceTexts: ReadonlyMap<string, string>, spec: RoundFixSpec): Promise<RoundFixes> {
  const shapeFiles = shown.flatMap((finding) => (finding.decisionShape ? [finding.decisionShape.test.file] : []));
  const editable = editableFiles(shapeFiles, spec.roots, spec.cwd);
  const plan = planFixes(shown, sourceTexts, (file) => editable.realPaths.has(file));
  const { fixes } = plan;
  if (!spec.rewrite) return { fixes, fixedFiles: [], fixErrors: [] };
  const { fixedTexts } = await import('../fix/apply-fixes.js');
  const fixed = await fixedTexts(plan, sourceTexts, editable.realPaths);
  // Files left alone for where they are, said only when they would have been fixed.
  const outside = editable.refused.size === 0 ? [] : [...planFixes(shown, sourceTexts, (file) => editable.refused.has(file)).editsByFile.keys()];
  const refused = outside.map((file) => ({ file, message: editable.refused.get(file) ?? '' }));
  return { fixes, fixedFiles: fixed.files, fixErrors: [...refused, ...fixed.errors] };
}
