/** An edit as review systems describe replacements: a region of lines and columns plus the new text. */
import type { TextEdit } from './text-edit.js';
import type { LineIndex } from './text-positions.js';

/** 1-based; columns in UTF-16 code units (SARIF's; reviewdog's bytes are counted from the line's text). */
export type EditRegion = Omit<TextEdit, 'start' | 'end'> & Record<'startLine' | 'startColumn' | 'endLine' | 'endColumn', number>;

/** `lines` indexes the edited file's text (one index per file: a file may have thousands of edits). */
export function editRegion({ start, end, ...edit }: TextEdit, lines: LineIndex): EditRegion {
  const from = lines.positionOf(start);
  const to = lines.positionOf(end);
  return { ...edit, startLine: from.line, startColumn: from.column, endLine: to.line, endColumn: to.column };
}
