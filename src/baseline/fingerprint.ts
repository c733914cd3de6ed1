/**
 * Fingerprints that identify a finding across unrelated edits: no line numbers, only what the
 * finding is about — its rule, file, the source of the test (whitespace collapsed), the function it
 * sits in — plus its rank among identical ones in the file, so two identical tests stay distinct.
 */
import { createHash } from 'node:crypto';
import { LineIndex } from '../fix/text-positions.js';
import type { Finding } from '../model/finding.js';
import { compareFindings } from '../model/finding-order.js';

/** Bumped whenever the recipe changes, so that old baselines are recognisably different. */
export const FINGERPRINT_VERSION = 'ringlint/v1';

export function fingerprintFindings(findings: readonly Finding[], texts: ReadonlyMap<string, string>): Map<Finding, string> {
  const lineIndexes = new Map<string, LineIndex>();
  const ordered = [...findings].sort(compareFindings);
  const seen = new Map<string, number>();
  const result = new Map<Finding, string>();
  for (const finding of ordered) {
    // A file the scan has no text of spans nothing: every span of an empty text is ''.
    const text = texts.get(finding.file) ?? '';
    let lines = lineIndexes.get(finding.file);
    if (!lines) lineIndexes.set(finding.file, (lines = new LineIndex(text)));
    const source = spanText(finding, text, lines);
    const hash = createHash('sha256')
      .update([finding.ruleId, finding.file, source, finding.enclosingName ?? ''].join('\0'))
      .digest('hex')
      .slice(0, 32);
    const occurrence = seen.get(hash) ?? 0;
    seen.set(hash, occurrence + 1);
    result.set(finding, `${hash}:${occurrence}`);
  }
  return result;
}

function spanText(finding: Finding, text: string, lines: LineIndex): string {
  const start = lines.offsetOf(finding.line, finding.column, true);
  const end = lines.offsetOf(finding.endLine, finding.endColumn, true);
  if (start === undefined || end === undefined || end < start) return '';
  return text.slice(start, end).replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
}
