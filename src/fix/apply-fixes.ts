/**
 * Turning a fix plan into new file contents, checking that each still parses as well as before,
 * and writing them.
 */
import { resolve } from 'node:path';
import type { NativeNode } from '../c/parser.js';
import { sourceKindOf } from '../files/source-kind.js';
import type { FileError } from '../model/finding.js';
import { writeFileAtomically } from './atomic-write.js';
import type { FixPlan } from './fix-plan.js';
import { applyEdits } from './text-edit.js';

export interface FixedFile {
  file: string;
  before: string;
  after: string;
}

export interface FixedTexts {
  files: FixedFile[];
  /** Files whose fixed text would not parse as cleanly as the original: left untouched. */
  errors: FileError[];
}

export async function fixedTexts(plan: FixPlan, texts: ReadonlyMap<string, string>): Promise<FixedTexts> {
  const result: FixedTexts = { files: [], errors: [] };
  for (const [file, edits] of plan.editsByFile) {
    const before = texts.get(file);
    if (before === undefined || edits.length === 0) continue;
    const after = applyEdits(before, edits);
    if (after === before) continue;
    if (sourceKindOf(file) === 'c' && (await syntaxErrorCount(after)) > (await syntaxErrorCount(before))) {
      result.errors.push({ file, message: 'fix not applied: the rewritten file would not parse cleanly' });
      continue;
    }
    result.files.push({ file, before, after });
  }
  return result;
}

/** Writes the fixed files (display paths are relative to `cwd`). */
export async function writeFixedFiles(files: readonly FixedFile[], cwd: string): Promise<FileError[]> {
  const errors: FileError[] = [];
  for (const fixed of files) {
    try {
      await writeFileAtomically(resolve(cwd, fixed.file), fixed.after);
    } catch (error) {
      errors.push({ file: fixed.file, message: `fix not written: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return errors;
}

/** ERROR and MISSING nodes: what tree-sitter could not make sense of. */
async function syntaxErrorCount(text: string): Promise<number> {
  // tree-sitter is loaded only when there is something to check: start-up time matters on cache hits.
  const { parseC } = await import('../c/parser.js');
  let count = 0;
  const stack: NativeNode[] = [parseC(text).rootNode];
  while (stack.length > 0) {
    const node = stack.pop()!; // non-empty: checked by the loop condition
    if (node.isError || node.isMissing) count++;
    if (node.hasError) stack.push(...node.children);
  }
  return count;
}
