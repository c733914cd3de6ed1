import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { ScanReport, Severity } from '../model/finding.js';
import { formatJsonReport } from '../reporters/json-reporter.js';
import { formatSarifReport } from '../reporters/sarif-reporter.js';
import { sourceLineLookup } from '../reporters/source-lines.js';
import { formatTextReport } from '../reporters/text-reporter.js';
import { DEFAULT_MAX_FILE_SIZE, scanSources } from '../scan/run-scan.js';
import { parseByteSize } from './byte-size.js';
import { colorEnabled } from './color-support.js';

type OutputFormat = 'text' | 'json' | 'sarif';

interface ScanCliOptions {
  format: OutputFormat;
  severity: Severity;
  maxFileSize: number;
  output?: string;
}

/** Exit codes of DESIGN.md §4; usage and tool errors (2) are set by main.ts's handler. */
const EXIT_CLEAN = 0;
const EXIT_FINDINGS = 1;

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { warning: 0, error: 1 };

export function registerScanCommand(program: Command): void {
  program
    .command('scan')
    .description('Report AF_PACKET ring ownership tests that rely on "not KERNEL means mine".')
    .argument('[paths...]', 'files and directories to scan (default: .)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .addOption(
      new Option('--severity <level>', 'lowest severity to report and to fail on')
        .choices(['error', 'warning'])
        .default('warning'),
    )
    .addOption(
      new Option('--max-file-size <size>', 'do not parse larger files (e.g. 8mb, 512kb)')
        .argParser(parseByteSize)
        .default(DEFAULT_MAX_FILE_SIZE, '8mb'),
    )
    .option('-o, --output <file>', 'write the report to FILE instead of standard output')
    .action(async (paths: string[], options: ScanCliOptions) => {
      const cwd = process.cwd();
      const { report, sourceTexts } = await scanSources({ paths, cwd, maxFileSize: options.maxFileSize });
      const shown: ScanReport = {
        ...report,
        findings: report.findings.filter((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[options.severity]),
      };
      const rendered = render(shown, options.format, {
        cwd,
        color: options.output === undefined && colorEnabled(process.stdout, process.env),
        sourceLine: sourceLineLookup(sourceTexts),
      });
      if (options.output === undefined) process.stdout.write(rendered);
      else await writeFile(resolve(cwd, options.output), rendered);
      process.exitCode = shown.findings.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
    });
}

function render(
  report: ScanReport,
  format: OutputFormat,
  context: { cwd: string; color: boolean; sourceLine: ReturnType<typeof sourceLineLookup> },
): string {
  switch (format) {
    case 'json':
      return formatJsonReport(report);
    case 'sarif':
      return formatSarifReport(report, { cwd: context.cwd });
    case 'text':
      return formatTextReport(report, { color: context.color, sourceLine: context.sourceLine });
  }
}
