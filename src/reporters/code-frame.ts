import { visiblePieces } from './terminal-text.js';

/** Widest stretch of a source line shown; minified or generated lines are cut around the span. */
const MAX_SHOWN_WIDTH = 160;
const CONTEXT_BEFORE_SPAN = 60;

export interface CodeFrame {
  /** The source line as shown: possibly cut, with `…` marking the cuts, and its controls made visible (terminal-text.ts). */
  source: string;
  /** Whitespace up to the span, tabs kept so the marker lines up in any terminal. */
  markerIndent: string;
  markerWidth: number;
}

/**
 * Where to draw the `^~~~` under a span that starts on `line`. Columns are 1-based and in UTF-16
 * code units; a span that continues past the line is marked to the line's end.
 */
export function codeFrame(line: string, column: number, endLine: number, endColumn: number, startLine: number): CodeFrame {
  const start = Math.min(Math.max(column - 1, 0), line.length);
  const end = endLine === startLine ? Math.min(Math.max(endColumn - 1, start + 1), line.length) : line.length;
  const windowStart = line.length > MAX_SHOWN_WIDTH ? Math.max(0, start - CONTEXT_BEFORE_SPAN) : 0;
  const windowEnd = Math.min(line.length, windowStart + MAX_SHOWN_WIDTH);
  const head = windowStart > 0 ? '…' : '';
  const tail = windowEnd < line.length ? '…' : '';
  // Made visible in pieces, so that the marker stays under the span however wide the escapes are.
  const [, before = '', span = '', after = ''] = visiblePieces(line, [windowStart, start, Math.min(end, windowEnd), windowEnd], true);
  return {
    source: head + before + span + after + tail,
    markerIndent: (head + before).replace(/[^\t]/g, ' '),
    markerWidth: Math.max(1, span.length),
  };
}
