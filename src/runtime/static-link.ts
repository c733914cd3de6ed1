import path from 'node:path';
import { ruleAndPlace, type Finding } from '../model/finding.js';
import { ruleIdRanges, RUNTIME_LINKED_RULES, type RuleId } from '../rules/catalog.js';
import { sourceLineLookup } from '../reporters/source-lines.js';
import type { AccessAttribution, AccessSite, SourceFrame } from './access-sites.js';
import type { CheckReport } from './run-check.js';
import type { VerdictKind } from './verdict.js';

/**
 * `check --source DIR`: ties the runtime verdict to the static findings in the consumer's source
 * tree, line by line. The tree is only scanned, never built or run.
 *
 * The run knows which instructions of the consumer's touched a status word while its slot was
 * IN_PROGRESS (the emulator's watchpoints, mapped to source lines through the binary's DWARF,
 * access-sites.ts). The findings linked are the catalog's RUNTIME_LINKED_RULES: a wrong or missing
 * ownership test. Such a finding is confirmed only when the consumer broke
 * AND such an instruction sits on the finding's line (or its macro's, helper's or read's), or, less
 * precisely, in the function the finding is in. A finding no such instruction reached was not
 * exercised by this run: a V1 reader on a V2 run, a fallback path, another program's code. When
 * the run could not attribute its accesses (no debug information, no watchpoints), a finding is
 * `unattributed` rather than confirmed: the verdict alone does not say which reader ran.
 * RL004 (V3) cannot be confirmed at runtime: the RFC leaves V3 rings alone.
 */
const V3_BLOCK_RULE: RuleId = 'RL004';
/** The linked findings a run can confirm. */
const RUNTIME_TESTABLE_RULES: ReadonlySet<RuleId> = new Set([...RUNTIME_LINKED_RULES].filter((id) => id !== V3_BLOCK_RULE));

/** A finding's public fields as `check --json` prints them (no endColumn, no related places), and what the run says of it. */
export type LinkedFinding = Pick<Finding, 'ruleId' | 'severity' | 'file' | 'line' | 'column' | 'endLine' | 'message'> & {
  runtime: ReturnType<typeof runtimeLink>;
  exercised: ReturnType<typeof exercisedBy>;
};

/** A DWARF file name (absolute, as compiled) against a finding's file (relative to the working directory). */
function sameFile(dwarfFile: string, findingFile: string, sourceRoot: string): boolean {
  const absolute = path.resolve(findingFile);
  if (dwarfFile === absolute) return true;
  // Built elsewhere (a package's build directory, a copy): the path below the source root must match.
  const below = path.relative(sourceRoot, absolute);
  return below !== '' && !below.startsWith('..') && dwarfFile.endsWith(`/${below.split(path.sep).join('/')}`);
}

function findingLines(finding: Finding): Array<{ file: string; line: number }> {
  const lines: Array<{ file: string; line: number }> = [];
  for (let line = finding.line; line <= finding.endLine; line++) lines.push({ file: finding.file, line });
  for (const place of finding.related) if (place.kind !== 'use') lines.push({ file: place.file, line: place.line });
  return lines;
}

/** Where the run reached a finding: its own line (or a related place's), else its function; `sites`, the instructions there (indices in the run's inProgressAccesses.sites). */
function exercisedBy(finding: Finding, sites: AccessSite[], sourceRoot: string) {
  const lines = findingLines(finding);
  const atLine = (frame: SourceFrame, _index: number) =>
    frame.file !== null && lines.some((place) => place.line === frame.line && sameFile(frame.file ?? '', place.file, sourceRoot));
  // The function whose own code made the access (innermost frame), not one it is inlined into:
  // main() inlining every reader would otherwise count as reaching each of them.
  const inFunction = (frame: SourceFrame, index: number) =>
    index === 0 && frame.file !== null && frame.function === finding.enclosingName && sameFile(frame.file, finding.file, sourceRoot);
  for (const [at, matches] of [
    ['line', atLine],
    ['function', inFunction],
  ] as const) {
    const reached = sites.flatMap((site, index) => site.frames.filter(matches).map((frame) => ({ site, index, frame })));
    const first = reached[0];
    if (!first) continue;
    const indices = [...new Set(reached.map(({ index }) => index))];
    return {
      at,
      file: finding.file,
      line: first.frame.line,
      function: first.frame.function,
      /** accesses while IN_PROGRESS by the instructions there */
      hits: indices.reduce((sum, index) => sum + (sites[index]?.hits ?? 0), 0),
      sites: indices,
    };
  }
  return null;
}

function runtimeLink(finding: Finding, verdict: VerdictKind, exercised: ReturnType<typeof exercisedBy>, attribution: AccessAttribution) {
  if (!RUNTIME_TESTABLE_RULES.has(finding.ruleId)) return 'not-testable';
  if (verdict !== 'breaks') return 'not-observed';
  if (!attribution.available) return 'unattributed';
  return exercised ? 'confirmed' : 'not-exercised';
}

/** The text report's label for a linked finding. */
export function describeRuntimeLink(finding: LinkedFinding): string {
  const where = finding.exercised;
  const at = where?.at === 'line' ? (where.line === finding.line ? 'at this line' : `at line ${where.line}`) : `in ${where?.function}()`;
  const reached = where ? `${at}, ${where.hits} access(es) while IN_PROGRESS` : '';
  switch (finding.runtime) {
    case 'confirmed':
      return `confirmed ${reached}`;
    case 'not-exercised':
      return 'not exercised by this run';
    case 'unattributed':
      return 'not attributed: the run could not tell which reader ran';
    case 'not-observed':
      return where ? `not observed to break (reached ${reached})` : 'not observed';
    case 'not-testable':
      return 'not testable at runtime';
  }
}

function place(finding: LinkedFinding): string {
  return `${finding.ruleId} ${finding.file}:${finding.line}`;
}

function summarize(source: string, verdict: VerdictKind, findings: LinkedFinding[], attribution: AccessAttribution): string {
  const ownership = findings.filter((finding) => RUNTIME_TESTABLE_RULES.has(finding.ruleId));
  const confirmed = findings.filter((finding) => finding.runtime === 'confirmed');
  const notExercised = findings.filter((finding) => finding.runtime === 'not-exercised');
  if (confirmed.length > 0) {
    const rest = notExercised.length > 0 ? `; not exercised by this run: ${notExercised.map(place).join(', ')}` : '';
    return `the runtime verdict (breaks) confirms ${confirmed.length} static finding(s) the run exercised: ${confirmed.map(place).join(', ')}${rest}`;
  }
  if (verdict === 'breaks' && ownership.length > 0 && !attribution.available)
    return `the runtime check saw the consumer break, but not which of the ${ownership.length} ownership finding(s) it ran: ${attribution.reason}`;
  if (verdict === 'breaks' && ownership.length > 0) {
    const top = attribution.sites[0]?.frames.find((frame) => frame.file !== null);
    return `the runtime check saw the consumer break, but none of the ${ownership.length} ownership finding(s) was exercised${top ? ` (the IN_PROGRESS slots were touched at ${top.file}:${top.line} in ${top.function}())` : ''}: another code path, a library, or a test the analyzer does not model`;
  }
  if (verdict === 'breaks')
    return `the runtime check saw the consumer break, but the source tree has no ${ruleIdRanges(RUNTIME_TESTABLE_RULES)} finding to explain it (another code path, a library, or a test the analyzer does not model)`;
  if (ownership.length > 0)
    return `${ownership.length} static ownership finding(s) not confirmed at runtime (verdict ${verdict}): the flagged code may not be on the path this run exercised`;
  return `no ${ruleIdRanges(RUNTIME_LINKED_RULES)} findings in ${source}; consistent with the runtime verdict (${verdict})`;
}

/** The verdict object, with what --source linked to it. */
export type LinkedReport = CheckReport & { staticFindings?: Awaited<ReturnType<typeof linkStaticFindings>>['link'] };

/** The link, and `sourceLine`: the scanned text of a finding's file, for code frames. */
export async function linkStaticFindings(source: string, verdict: VerdictKind, attribution: AccessAttribution) {
  // Loaded here: the scan stack (tree-sitter) is not needed to run a check without --source.
  const { scanSources } = await import('../scan/run-scan.js');
  const { report, sourceTexts } = await scanSources({ paths: [source] });
  const sourceRoot = path.resolve(source);
  const findings = report.findings
    .filter((finding) => RUNTIME_LINKED_RULES.has(finding.ruleId))
    .map((finding): LinkedFinding => {
      const exercised = attribution.available ? exercisedBy(finding, attribution.sites, sourceRoot) : null;
      return {
        ...ruleAndPlace(finding),
        message: finding.message,
        runtime: runtimeLink(finding, verdict, exercised, attribution),
        exercised,
      };
    });
  return {
    link: {
      source,
      filesScanned: report.filesScanned,
      scanErrors: report.errors.length,
      findings,
      summary: summarize(source, verdict, findings, attribution),
    },
    sourceLine: sourceLineLookup(sourceTexts),
  };
}
