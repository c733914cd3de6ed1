/**
 * What a project has decided about findings, applied in order: rule settings from the config
 * (`off`, or another severity), the config's include/exclude globs, inline suppressions, then the
 * baseline. The severity threshold of the command line comes last, in the command.
 */
import type { Baseline, BaselineEntry } from '../baseline/baseline-file.js';
import { matchBaseline } from '../baseline/baseline-file.js';
import { fingerprintFindings } from '../baseline/fingerprint.js';
import type { LoadedConfig } from '../config/config-file.js';
import { reportedPathFilter } from '../config/path-filter.js';
import { isDocumentKind, sourceKindOf } from '../files/source-kind.js';
import type { Finding } from '../model/finding.js';
import { applySuppressions, type SuppressionProblem } from '../suppressions/inline-suppressions.js';

/** The config and baseline a run applies, either of which may be absent. */
export interface FindingPolicy {
  config?: LoadedConfig | undefined;
  baseline?: Baseline | undefined;
}

export interface PolicyOutcome {
  /** Findings still reported. */
  findings: Finding[];
  /** Every finding that survived config and suppressions: what a new baseline records. */
  acceptable: Finding[];
  fingerprints: Map<Finding, string>;
  suppressionProblems: SuppressionProblem[];
  staleBaselineEntries: BaselineEntry[];
}

/** `cwd`: what the findings' display paths are relative to. */
export function applyFindingPolicy(findings: readonly Finding[], texts: ReadonlyMap<string, string>, cwd: string, policy: FindingPolicy): PolicyOutcome {
  const settings = policy.config?.config.rules ?? {};
  const reported = reportedPathFilter(policy.config, cwd);
  const configured: Finding[] = [];
  for (const finding of findings) {
    const setting = settings[finding.ruleId];
    if (setting === 'off' || !reported(finding.file)) continue;
    configured.push(setting === undefined || setting === finding.severity ? finding : { ...finding, severity: setting });
  }
  const suppression = applySuppressions(configured, texts, (file) => !isDocument(file));
  const fingerprints = fingerprintFindings(suppression.kept, texts);
  const match = policy.baseline ? matchBaseline(suppression.kept, fingerprints, policy.baseline) : undefined;
  return {
    findings: match ? match.kept : suppression.kept,
    acceptable: suppression.kept,
    fingerprints,
    suppressionProblems: suppression.problems,
    staleBaselineEntries: match?.stale ?? [],
  };
}

/** Markdown and reST: their C examples are scanned, but their suppression examples are not requests. */
function isDocument(file: string): boolean {
  const kind = sourceKindOf(file);
  return kind !== undefined && isDocumentKind(kind);
}
