import { resolve } from 'node:path';
import type { CSourceUnit } from '../c/analyze.js';
import { extractCFragments } from '../docs/extract-fragments.js';
import { discoverFiles } from '../files/discover.js';
import { toDisplayPath } from '../files/display-path.js';
import { resolveQuotedIncludes } from '../files/quoted-includes.js';
import { readSourceFile } from '../files/read-source.js';
import type { SourceKind } from '../files/source-kind.js';
import type { FileError, Finding, ScanReport } from '../model/finding.js';
import { TOOL_VERSION } from '../version.js';
import { analyzeIsolatingFailures } from './analyze-isolated.js';

export const DEFAULT_MAX_FILE_SIZE = 8 * 1024 * 1024;

/** Files read at once: enough to hide disk latency on a kernel tree, few enough to keep descriptors. */
const READ_CONCURRENCY = 16;

export interface ScanOptions {
  /** Files and directories, relative to `cwd`; none means `.`. */
  paths: string[];
  cwd?: string;
  /** Bytes; larger files are not parsed. */
  maxFileSize?: number;
}

export interface ScanResult {
  report: ScanReport;
  /** The text of every analysed file by display path, for code frames without re-reading files. */
  sourceTexts: ReadonlyMap<string, string>;
}

interface ScanCandidate {
  path: string;
  realPath: string;
  displayPath: string;
  kind: SourceKind;
}

/**
 * Scans files and directories for ownership tests. Throws only for tool errors (such as
 * `PathNotFoundError`); every problem with a single file becomes an entry in `errors`.
 */
export async function runScan(options: ScanOptions): Promise<ScanReport> {
  return (await scanSources(options)).report;
}

export async function scanSources(options: ScanOptions): Promise<ScanResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const discovery = await discoverFiles(options.paths.length > 0 ? options.paths : ['.'], cwd);
  const errors: FileError[] = [...discovery.errors];
  const sourceTexts = new Map<string, string>();
  const units: CSourceUnit[] = [];
  const known = new Set(discovery.files.map((file) => file.realPath));
  let filesScanned = discovery.files.length + discovery.errors.length;

  // Each round reads the files found so far; quoted includes found in them make the next round.
  let round: ScanCandidate[] = discovery.files;
  while (round.length > 0) {
    const reads = await mapConcurrently(round, READ_CONCURRENCY, (file) => readSourceFile(file.path, maxFileSize));
    const next: ScanCandidate[] = [];
    for (const [index, file] of round.entries()) {
      const read = reads[index];
      if (read === undefined) continue;
      if (read.problem !== undefined) errors.push({ file: file.displayPath, message: read.problem });
      if (read.status !== 'text') continue;
      sourceTexts.set(file.displayPath, read.text);
      if (file.kind !== 'c') {
        units.push(...documentUnits(file.displayPath, read.text, file.kind, errors));
        continue;
      }
      units.push({ path: file.displayPath, text: read.text });
      for (const included of await resolveQuotedIncludes(file.path, read.text, discovery.rootDirectories)) {
        if (known.has(included.realPath)) continue;
        known.add(included.realPath);
        filesScanned++;
        next.push({ ...included, displayPath: toDisplayPath(cwd, included.path), kind: 'c' });
      }
    }
    round = next;
  }

  const analysis = analyzeIsolatingFailures(units);
  errors.push(...analysis.errors);
  const report: ScanReport = {
    version: TOOL_VERSION,
    findings: [...analysis.findings].sort(compareFindings),
    filesScanned,
    errors: errors.sort((a, b) => compareText(a.file, b.file)),
  };
  return { report, sourceTexts };
}

function documentUnits(path: string, text: string, kind: 'markdown' | 'rst', errors: FileError[]): CSourceUnit[] {
  try {
    return extractCFragments(text, kind).map((fragment) => ({ path, text: fragment }));
  } catch (error) {
    errors.push({ file: path, message: `cannot extract code blocks: ${error instanceof Error ? error.message : String(error)}` });
    return [];
  }
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.file, b.file) || a.line - b.line || a.column - b.column || compareText(a.ruleId, b.ruleId)
  );
}

/** Code-unit order, not locale order: the same output on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function mapConcurrently<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let nextIndex = 0;
  const worker = async (): Promise<void> => {
    for (let index = nextIndex++; index < items.length; index = nextIndex++) {
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
