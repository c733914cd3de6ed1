/**
 * What the output formats may show beside the scan's report, as scan and review gather it once
 * (cli/run-output.ts): each reporter reads the part its format has a place for.
 */
import type { EditRegion } from '../fix/edit-region.js';
import type { Finding } from '../model/finding.js';
import type { ReportNotes } from './report-notes.js';
import type { SourceLineLookup } from './source-lines.js';

export interface RenderContext {
  /** The directory display paths are relative to (SARIF's source root). */
  cwd: string;
  /** Whether the text report may use colour escapes. */
  color: boolean;
  /** The scanned texts, for code frames and for rdjson's byte columns; a line it does not have keeps its column (right for ASCII). */
  sourceLine: SourceLineLookup;
  /** Baseline fingerprints: SARIF's `partialFingerprints`, so code scanning tracks results across commits. */
  fingerprints: ReadonlyMap<Finding, string>;
  /** The mechanical fix of each finding that has one: shown under it (text), as SARIF `fixes`, rdjson suggestions, Markdown details. */
  fixes: ReadonlyMap<Finding, EditRegion>;
  /** Suppression problems (SARIF: tool notifications at the comment) and stale baseline entries. */
  notes: ReportNotes;
  /** Heading words for Markdown, e.g. "new in this change". */
  scope?: string;
}
