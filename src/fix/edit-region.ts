/** An edit as review systems describe replacements: a region of lines and columns plus the new text. */
import type { TextEdit } from './text-edit.js';
import type { LineIndex } from './text-positions.js';

export interface EditRegion {
  file: string;
  /** 1-based; columns in UTF-16 code units (SARIF) and in UTF-8 bytes (reviewdog). */
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  startByteColumn: number;
  endByteColumn: number;
  replacement: string;
  description: string;
}

/** `lines` indexes `text` (one index per file: a file may have thousands of edits). */
export function editRegion(edit: TextEdit, text: string, lines: LineIndex): EditRegion {
  const start = lines.positionOf(edit.start);
  const end = lines.positionOf(edit.end);
  const byteColumn = (offset: number, column: number): number =>
    Buffer.byteLength(text.slice(offset - (column - 1), offset), 'utf8') + 1;
  return {
    file: edit.file,
    startLine: start.line,
    startColumn: start.column,
    endLine: end.line,
    endColumn: end.column,
    startByteColumn: byteColumn(edit.start, start.column),
    endByteColumn: byteColumn(edit.end, end.column),
    replacement: edit.replacement,
    description: edit.description,
  };
}
