import { realpathSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Command as CommandType } from 'commander';
import type { ChangedLines } from '../review/changed-lines.js';
import type { Prestart } from '../scan/run-scan.js';
import { addLintOptions, addOptions } from './command-options.js';
import { REVIEW_OPTIONS, type LintCliOptions } from './lint-options.js';
import { FORMATS_CARRYING_NOTES } from './report-output.js';

interface ReviewCliOptions extends LintCliOptions {
  base?: string;
  staged?: boolean;
}

/** Formats where review appends its side notes itself. */
const REVIEW_NOTES_IN_REPORT = new Set([...FORMATS_CARRYING_NOTES, 'text', 'json']);

/** `prestart`: what main.ts started for this command line before the CLI loaded. */
export function registerReviewCommand(program: CommandType, prestart: Prestart = {}): void {
  const review = program
    .command('review')
    .description('Report only the findings a change introduces, compared with a git ref (for pull requests and pre-commit hooks).')
    .argument('[paths...]', 'files and directories to analyse (default: the whole repository)');
  addLintOptions(addOptions(review, REVIEW_OPTIONS)).action(async (paths: string[], options: ReviewCliOptions, command: CommandType) => {
    if (options.base === undefined && !options.staged) {
      command.error("error: required option '--base <ref>' not specified (or --staged, to review what is staged against HEAD)");
    }
    // Loaded when review runs: git, the changed-lines diff and the lint round are for review only.
    const { headCommit, mergeBase, repositoryRoot, resolveCommit } = await import('../review/git.js');
    const { changedLines } = await import('../review/changed-lines.js');
    const { introducedFindings } = await import('../review/new-findings.js');
    const { writeStagedTree } = await import('../review/staged-tree.js');
    const { configDirectoriesFor } = await import('../config/config-file.js');
    const { formatNotesText } = await import('../reporters/report-notes.js');
    const { visibleText } = await import('../reporters/terminal-text.js');
    const { loadPolicyInputs } = await import('./policy-inputs.js');
    const { lintWithFixes } = await import('./lint-round.js');
    const { finishRun } = await import('./run-output.js');
    const cwd = process.cwd();
    const root = await repositoryRoot(cwd);
    // git reports the root by its real path; the working directory is placed inside it alike.
    const cwdInRoot = relative(root, realpathSync(cwd));
    // undefined: nothing to compare with (the first commit), so everything is new.
    const baseCommit = options.base === undefined ? await headCommit(root) : await mergeBase(await resolveCommit(options.base, root), root);
    const staged = options.staged ? await writeStagedTree(root) : undefined;
    try {
      // What is analysed: the working tree, or the staged tree laid out the same way, so that
      // display paths, config lookups and globs read alike in both.
      const analysedRoot = staged?.root ?? root;
      const analysedCwd = join(analysedRoot, cwdInRoot);
      if (staged) await mkdir(analysedCwd, { recursive: true });
      const roundOptions: ReviewCliOptions = staged
        ? {
            ...options,
            // Each staged tree is new: a cache of it would never be read again. Ignore files say
            // which untracked files git leaves out; every staged file is tracked.
            cache: false,
            ignore: false,
            ...(options.config === undefined ? {} : { config: stagedPath(options.config, join(root, cwdInRoot), root, analysedRoot) }),
            ...(options.baseline === undefined ? {} : { baseline: stagedPath(options.baseline, join(root, cwdInRoot), root, analysedRoot) }),
          }
        : options;
      const fromAnalysedTree = (text: string) => (staged ? text.split(staged.root).join(root) : text);
      // By default the whole repository is analysed, so macros and helpers in untouched files still count.
      const roots = paths.length > 0 ? paths : [relative(analysedCwd, analysedRoot) || '.'];
      const inputs = await loadPolicyInputs(roundOptions, analysedCwd, configDirectoriesFor(roots, analysedCwd));
      for (const warning of inputs.warnings) process.stderr.write(`ringlint: ${visibleText(fromAnalysedTree(warning))}\n`);
      let changed: ChangedLines | undefined;
      const round = await lintWithFixes({
        roots,
        cwd: analysedCwd,
        options: roundOptions,
        inputs,
        prestart,
        select: async (findings, scan) => {
          // Display paths are relative to the working directory in either tree.
          changed = await changedLines(scan.sourceTexts, { root, cwd: join(root, cwdInRoot), baseCommit });
          return introducedFindings(findings, changed, scan.sourceTexts);
        },
      });
      // Findings moved to a changed definition are new objects: fingerprinted like any other (SARIF).
      const withoutFingerprint = round.shown.filter((finding) => !round.policy.fingerprints.has(finding));
      if (withoutFingerprint.length > 0) {
        const { fingerprintFindings } = await import('../baseline/fingerprint.js');
        for (const [finding, fingerprint] of fingerprintFindings(withoutFingerprint, round.scan.sourceTexts)) round.policy.fingerprints.set(finding, fingerprint);
      }
      await finishRun({
        cwd,
        options,
        round,
        roots,
        report: {
          ...round.scan.report,
          findings: round.shown,
          errors: round.scan.report.errors.map((error) => ({ ...error, message: fromAnalysedTree(error.message) })),
        },
        notesInReport: REVIEW_NOTES_IN_REPORT.has(options.format),
        scope: options.staged ? 'new in the staged changes' : 'new in this change',
        render: (rendered) => {
          if (options.format === 'json') {
            const contract = JSON.parse(rendered) as Record<string, unknown>;
            contract.review = {
              base: options.base ?? 'HEAD',
              mergeBase: baseCommit ?? null,
              staged: options.staged === true,
              changedFiles: changed?.changedFiles() ?? [],
              suppressionProblems: round.policy.suppressionProblems,
              staleBaselineEntries: round.policy.staleBaselineEntries,
            };
            return `${JSON.stringify(contract, null, 2)}\n`;
          }
          if (options.format === 'text') return rendered + formatNotesText(round.policy);
          return rendered;
        },
      });
    } finally {
      await staged?.remove();
    }
  });
}

/** A --config or --baseline path as --staged reads it: a file of the repository as staged, one outside it as it is. */
function stagedPath(path: string, cwd: string, root: string, stagedRoot: string): string {
  const absolute = resolve(cwd, path);
  const inRoot = relative(root, absolute);
  return inRoot.startsWith('..') || isAbsolute(inRoot) ? absolute : join(stagedRoot, inRoot);
}
