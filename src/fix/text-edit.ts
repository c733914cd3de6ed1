/** A replacement of one stretch of a file's text. Offsets are UTF-16 code units into the file's text. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  replacement: string;
  /** What the fix does, for SARIF `fixes` and review comments. */
  description: string;
}

/** Applies non-overlapping edits of one file, in one pass over the text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const pieces: string[] = [];
  let copiedTo = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    pieces.push(text.slice(copiedTo, edit.start), edit.replacement);
    copiedTo = edit.end;
  }
  pieces.push(text.slice(copiedTo));
  return pieces.join('');
}
