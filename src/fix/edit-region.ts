/** An edit as review systems describe replacements: a region of lines and columns plus the new text. */
import type { TextEdit } from './text-edit.js';
import type { LineIndex } from './text-positions.js';

export interface EditRegion {
  file: string;
  /** 1-based; columns in UTF-16 code units (SARIF's; reviewdog's bytes are counted from the line's text). */
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  replacement: string;
  description: string;
}

/** `lines` indexes the edited file's text (one index per file: a file may have thousands of edits). */
export function editRegion(edit: TextEdit, lines: LineIndex): EditRegion {
  const start = lines.positionOf(edit.start);
  const end = lines.positionOf(edit.end);
  return {
    file: edit.file,
    startLine: start.line,
    startColumn: start.column,
    endLine: end.line,
    endColumn: end.column,
    replacement: edit.replacement,
    description: edit.description,
  };
}
