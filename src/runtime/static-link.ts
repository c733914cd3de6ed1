import type { Finding } from '../model/finding.js';
import type { VerdictKind } from './verdict.js';

/**
 * `check --source DIR`: ties the runtime verdict to the static findings in the consumer's source
 * tree. The tree is only scanned, never built or run. An ownership finding (RL001–RL003) is
 * confirmed when the runtime check saw the consumer break; RL004 (V3) cannot be confirmed at
 * runtime because the RFC leaves V3 rings alone.
 */
const OWNERSHIP_RULES = new Set(['RL001', 'RL002', 'RL003']);
const LINKED_RULES = new Set(['RL001', 'RL002', 'RL003', 'RL004']);

export interface LinkedFinding {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  message: string;
  runtime: 'confirmed' | 'not-observed' | 'not-testable';
}

export interface StaticLink {
  source: string;
  filesScanned: number;
  scanErrors: number;
  findings: LinkedFinding[];
  summary: string;
}

function runtimeStatus(finding: Finding, verdict: VerdictKind): LinkedFinding['runtime'] {
  if (!OWNERSHIP_RULES.has(finding.ruleId)) return 'not-testable';
  return verdict === 'breaks' ? 'confirmed' : 'not-observed';
}

export async function linkStaticFindings(source: string, verdict: VerdictKind): Promise<StaticLink> {
  // Loaded here: the scan stack (tree-sitter) is not needed to run a check without --source.
  const { runScan } = await import('../scan/run-scan.js');
  const report = await runScan({ paths: [source] });
  const findings = report.findings
    .filter((finding) => LINKED_RULES.has(finding.ruleId))
    .map((finding) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      file: finding.file,
      line: finding.line,
      column: finding.column,
      message: finding.message,
      runtime: runtimeStatus(finding, verdict),
    }));
  const confirmed = findings.filter((finding) => finding.runtime === 'confirmed');
  const ownership = findings.filter((finding) => OWNERSHIP_RULES.has(finding.ruleId));
  let summary: string;
  if (confirmed.length > 0) {
    summary = `the runtime verdict (breaks) confirms ${confirmed.length} static finding(s): ${confirmed
      .map((finding) => `${finding.ruleId} ${finding.file}:${finding.line}`)
      .join(', ')}`;
  } else if (verdict === 'breaks') {
    summary = 'the runtime check saw the consumer break, but the source tree has no RL001–RL003 finding to explain it (another code path, a library, or a test the analyzer does not model)';
  } else if (ownership.length > 0) {
    summary = `${ownership.length} static ownership finding(s) not confirmed at runtime (verdict ${verdict}): the flagged code may not be on the path this run exercised`;
  } else {
    summary = `no RL001–RL004 findings in ${source}; consistent with the runtime verdict (${verdict})`;
  }
  return { source, filesScanned: report.filesScanned, scanErrors: report.errors.length, findings, summary };
}
