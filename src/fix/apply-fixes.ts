/**
 * Turning a fix plan into new file contents, checking that each still parses as well as before,
 * and writing them: only the bytes of the rewritten tests change, and a file is written only if it
 * still holds what the scan read (see files/atomic-write.ts for the rest of the care taken).
 */
import { dirname } from 'node:path';
import { syntaxErrorCount } from '../tree-sitter/syntax-errors.js';
import { readSnapshot, removeDeadRunTemporaries, replaceFile, type FileSnapshot } from '../files/atomic-write.js';
import { fsErrorReason } from '../files/fs-error-reason.js';
import { hasLoneCarriageReturn } from '../files/line-ends.js';
import { languageOf } from '../files/source-kind.js';
import type { FileError } from '../model/finding.js';
import { applyEditsToBytes, decodedTextStart } from './byte-edits.js';
import type { FixPlan } from './fix-plan.js';
import { applyEdits, type TextEdit } from './text-edit.js';

export interface FixedFile {
  /** The display path. */
  file: string;
  /** The real path, which the fix is written to: a symbolic link is never replaced. */
  path: string;
  before: string;
  after: string;
  /** The file as read now, which must not change before the fix is written. */
  original: FileSnapshot;
  /** Its bytes with only the edited ones changed. */
  bytes: Buffer;
}

/**
 * The files the plan fixes, and those whose fix would not parse as cleanly as the original or
 * cannot be written byte for byte: left untouched. `realPaths`: each display path the plan edits
 * → its real path.
 */
export async function fixedTexts(plan: FixPlan, texts: ReadonlyMap<string, string>, realPaths: ReadonlyMap<string, string>): Promise<{ files: FixedFile[]; errors: FileError[] }> {
  const result: { files: FixedFile[]; errors: FileError[] } = { files: [], errors: [] };
  for (const [file, edits] of plan.editsByFile) {
    const before = texts.get(file);
    const path = realPaths.get(file);
    if (before === undefined || path === undefined || edits.length === 0) continue;
    const after = applyEdits(before, edits);
    if (after === before) continue;
    const fixed = await fixedFile({ file, path, before, after }, edits);
    if (typeof fixed === 'string') result.errors.push({ file, message: fixed });
    else result.files.push(fixed);
  }
  return result;
}

/** The file with `edits` applied to its bytes, or why it is not fixed. */
async function fixedFile(fix: Pick<FixedFile, 'file' | 'path' | 'before' | 'after'>, edits: readonly TextEdit[]): Promise<FixedFile | string> {
  // tree-sitter is loaded only when there is something to check: start-up time matters on cache hits.
  const parse = (await languageOf(fix.file)?.frontEnd())?.parse;
  if (parse && syntaxErrorCount(parse(fix.after).rootNode) > syntaxErrorCount(parse(fix.before).rootNode)) {
    return 'fix not applied: the rewritten file would not parse cleanly';
  }
  const original = await readSnapshot(fix.path).catch((error: unknown) => `fix not applied: ${fsErrorReason(error)}`);
  if (typeof original === 'string') return original;
  const bytes = original.bytes ?? Buffer.alloc(0); // read with its bytes
  // The text the scan analysed, or an edit made since then (F4): the fix would overwrite it.
  const textStart = decodedTextStart(bytes, fix.before);
  if (textStart === undefined) return 'fix not written: the file changed since it was scanned; run --fix again';
  // A replacement is taken from the analysed text, where a lone CR reads as LF (files/line-ends.ts):
  // one that spans a line end would change the file's line end inside it.
  if (edits.some((edit) => edit.replacement.includes('\n')) && bytes.includes(0x0d) && hasLoneCarriageReturn(bytes.toString('utf8'))) {
    return 'fix not applied: the rewritten code spans a line end, and the file ends lines with a lone CR';
  }
  const edited = applyEditsToBytes(bytes, textStart, edits);
  if ('problem' in edited) return `fix not applied: ${edited.problem}`;
  if (decodedTextStart(edited.bytes, fix.after) !== textStart) return 'fix not applied: the edited bytes do not decode to the fixed text';
  return { ...fix, original, bytes: edited.bytes };
}

/** Writes the fixed files, each only if it is still as read; first removes killed runs' temporary files beside them. */
export async function writeFixedFiles(files: readonly FixedFile[]): Promise<{ written: FixedFile[]; errors: FileError[] }> {
  for (const directory of new Set(files.map((fixed) => dirname(fixed.path)))) await removeDeadRunTemporaries(directory);
  const result: { written: FixedFile[]; errors: FileError[] } = { written: [], errors: [] };
  for (const fixed of files) {
    try {
      await replaceFile(fixed.path, fixed.bytes, fixed.original);
      result.written.push(fixed);
    } catch (error) {
      result.errors.push({ file: fixed.file, message: `fix not written: ${fsErrorReason(error)}` });
    }
  }
  return result;
}
