import { relative } from 'node:path';
import type { Command } from 'commander';
import type { ScanReport } from '../model/finding.js';
import type { ChangedLines } from '../review/changed-lines.js';
import { addLintOptions, type LintCliOptions } from './lint-options.js';
import { FORMATS_CARRYING_NOTES } from './report-output.js';

interface ReviewCliOptions extends LintCliOptions {
  base: string;
}

/** Formats where review appends its side notes itself. */
const REVIEW_NOTES_IN_REPORT = new Set([...FORMATS_CARRYING_NOTES, 'text', 'json']);

export function registerReviewCommand(program: Command): void {
  addLintOptions(
    program
      .command('review')
      .description('Report only the findings a change introduces, compared with a git ref (for pull requests).')
      .requiredOption('--base <ref>', 'the git ref the change is compared with (its merge base with HEAD)'),
  ).action(async (options: ReviewCliOptions) => {
    // Loaded when review runs: git, the changed-lines diff and the lint round are for review only.
    const { mergeBase, repositoryRoot, resolveCommit } = await import('../review/git.js');
    const { changedLines } = await import('../review/changed-lines.js');
    const { isIntroducedBy } = await import('../review/new-findings.js');
    const { formatNotesText } = await import('../reporters/report-notes.js');
    const { concludeRun, lintWithFixes, loadPolicyInputs, printReport, reportFixErrors } = await import('./lint-run.js');
    const cwd = process.cwd();
    const root = await repositoryRoot(cwd);
    const base = await resolveCommit(options.base, root);
    const baseCommit = await mergeBase(base, root);
    const inputs = await loadPolicyInputs(options, cwd, [root, cwd]);
    for (const warning of inputs.warnings) process.stderr.write(`ringlint: ${warning}\n`);
    // The whole repository is analysed, so macros and helpers in untouched files still count.
    const scanRoot = relative(cwd, root) || '.';
    let changed: ChangedLines | undefined;
    const { round, diff, writeErrors } = await lintWithFixes({
      paths: [scanRoot],
      cwd,
      options,
      inputs,
      roots: [scanRoot],
      select: async (findings, scan) => {
        changed = await changedLines(scan.sourceTexts, { root, cwd, baseCommit });
        const introduced = changed;
        return findings.filter((finding) => isIntroducedBy(finding, introduced));
      },
    });
    reportFixErrors(writeErrors);
    const report: ScanReport = { ...round.scan.report, findings: round.shown };
    const notes = { suppressionProblems: round.policy.suppressionProblems, staleBaselineEntries: round.policy.staleBaselineEntries };
    const notesInReport = REVIEW_NOTES_IN_REPORT.has(options.format);
    await printReport({
      cwd,
      options,
      round,
      report,
      notes,
      notesInReport,
      scope: 'new in this change',
      diff,
      render: (rendered) => {
        if (options.format === 'json') {
          const contract = JSON.parse(rendered) as Record<string, unknown>;
          contract.review = {
            base: options.base,
            mergeBase: baseCommit,
            changedFiles: changed?.changedFiles() ?? [],
            suppressionProblems: notes.suppressionProblems,
            staleBaselineEntries: notes.staleBaselineEntries,
          };
          return `${JSON.stringify(contract, null, 2)}\n`;
        }
        if (options.format === 'text') return rendered + formatNotesText(notes);
        return rendered;
      },
    });
    concludeRun(report, options, [scanRoot]);
  });
}
