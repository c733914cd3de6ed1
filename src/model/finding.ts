/** Public shapes of ringlint's results. The JSON reporter prints them as they are (README.md, `ringlint scan`). */
import type { FindingKind, RuleId, Severity } from '../rules/catalog.js';
import type { DecisionShape } from './decision-shape.js';

/** A rule's facts are the catalog's; findings name them. */
export type { FindingKind, RuleId, Severity };

/** A place in a file, 1-based lines and columns, end exclusive. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * What a related place is: a macro or helper the decision goes through, the test inside it, the
 * status read, or (review, at a changed definition) a use of the definition.
 */
export type PlaceKind = 'macro' | 'helper' | 'test' | 'read' | 'use';

export interface RelatedLocation {
  file: string;
  line: number;
  column: number;
  message: string;
  /** Internal (never printed as JSON): what the place is, for reporters that show places differently. */
  kind?: PlaceKind;
  /** Internal: where the place ends, when it is known (a use's whole call). */
  endLine?: number;
  endColumn?: number;
}

export interface Finding extends Span {
  ruleId: RuleId;
  severity: Severity;
  /** Relative to the working directory, `/`-separated. */
  file: string;
  message: string;
  /** The macro or helper the decision goes through, and the status read itself. */
  related: RelatedLocation[];
  /** Internal (never printed as JSON): the ownership test's spelling, for fixes. */
  decisionShape?: DecisionShape;
  /** Internal: the function the finding sits in, for baseline fingerprints that survive moves. */
  enclosingName?: string;
  /** Internal: what it reports, when not its rule's one kind of finding (the ESLint messageId's key). */
  kind?: FindingKind;
}

/** A file that could not be read or analysed in full; the scan goes on without it. */
export interface FileError {
  file: string;
  message: string;
}

export interface ScanReport {
  version: string;
  findings: Finding[];
  /** Every file considered. */
  filesScanned: number;
  /** The files actually parsed: those whose bytes can matter, or all with --no-prefilter. */
  filesParsed: number;
  elapsedMs: number;
  errors: FileError[];
}

/** A finding's rule and place, the fields every public format prints first and in this order. */
export function ruleAndPlace({ ruleId, severity, file, line, column, endLine }: Finding): Pick<Finding, 'ruleId' | 'severity' | 'file' | 'line' | 'column' | 'endLine'> {
  return { ruleId, severity, file, line, column, endLine };
}
