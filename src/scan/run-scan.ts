import { resolve } from 'node:path';
import type { CSourceUnit } from '../c/analyze.js';
import { extractCFragments } from '../docs/extract-fragments.js';
import { discoverFiles } from '../files/discover.js';
import { toDisplayPath } from '../files/display-path.js';
import { resolveQuotedIncludes } from '../files/quoted-includes.js';
import { readSourceFile } from '../files/read-source.js';
import type { SourceKind } from '../files/source-kind.js';
import type { TsSourceFile } from '../ts/analyze.js';
import type { FileError, Finding, ScanReport } from '../model/finding.js';
import { TOOL_VERSION } from '../version.js';
import { chooseEngine, STATUS_NEEDLES, type PrefilterQuery } from '../prefilter/byte-prefilter.js';
import { analyzeIsolatingFailures, type AnalysisOutcome } from './analyze-isolated.js';
import { analyzeTypeScriptIsolatingFailures, type TsScanFile } from './analyze-typescript.js';

export const DEFAULT_MAX_FILE_SIZE = 8 * 1024 * 1024;

/** Files read at once: enough to hide disk latency on a kernel tree, few enough to keep descriptors. */
const READ_CONCURRENCY = 16;

export interface ScanOptions {
  /** Files and directories, relative to `cwd`; none means `.`. */
  paths: string[];
  cwd?: string;
  /** Bytes; larger files are not parsed. */
  maxFileSize?: number;
  /** Parse every file instead of only those whose bytes can matter (audits; same findings). */
  noPrefilter?: boolean;
  /** Walk everything, whatever .gitignore files say. */
  noIgnore?: boolean;
  /** Told how far the scan is; called often, so it must be cheap. */
  onProgress?: (progress: ScanProgress) => void;
}

export interface ScanProgress {
  phase: 'discovering' | 'prefiltering' | 'reading' | 'analysing';
  done: number;
  total: number;
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

/** Prefilter rounds: each may bring in files that use a helper the previous round found. */
const MAX_PREFILTER_ROUNDS = 6;

/**
 * Scans files and directories for ownership tests. Throws only for tool errors (such as
 * `PathNotFoundError`); every problem with a single file becomes an entry in `errors`.
 */
export async function runScan(options: ScanOptions): Promise<ScanReport> {
  return (await scanSources(options)).report;
}

export async function scanSources(options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const cwd = resolve(options.cwd ?? process.cwd());
  const progress = options.onProgress ?? (() => undefined);
  progress({ phase: 'discovering', done: 0, total: 0 });
  const discovery = await discoverFiles(options.paths.length > 0 ? options.paths : ['.'], cwd, { noIgnore: options.noIgnore });
  const reader = new SourceReader(cwd, options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE, discovery.rootDirectories, progress);
  reader.errors.push(...discovery.errors);
  reader.considered += discovery.errors.length;
  reader.remember(discovery.files);

  // The byte prefilter knows C's needles; TS/JS files are all read (the analyzer skips what cannot matter).
  await reader.read(discovery.files.filter((file) => file.kind === 'typescript'));

  let analysis: AnalysisOutcome;
  if (options.noPrefilter) {
    await reader.read(discovery.files);
    analysis = analyze(reader, progress);
  } else {
    const engine = chooseEngine();
    const searched = new Set<string>();
    const definitionsSearched = new Set<string>();
    let query: PrefilterQuery = { needles: STATUS_NEEDLES, definitions: [] };
    analysis = { findings: [], errors: [] };
    for (let round = 0; round < MAX_PREFILTER_ROUNDS; round++) {
      // TypeScript ties a status word to a ring by types and data flow, not by names a byte search
      // could look for: every TS/JS file is read.
      const remaining = reader.unread().filter((file) => file.kind !== 'typescript');
      if (round === 0) await reader.read(reader.unread().filter((file) => file.kind === 'typescript'));
      progress({ phase: 'prefiltering', done: 0, total: remaining.length });
      const selected = await engine.search(remaining.map((file) => file.displayPath), query, cwd);
      const read = await reader.read(remaining.filter((file) => selected.has(file.displayPath)));
      if (round > 0 && read === 0) break;
      analysis = analyze(reader, progress);
      // Names the analysis could still use from files not read yet: exported helpers and macros
      // (their callers need not mention the status word), and callees defined nowhere read so far.
      const reach = analysis.reach ?? { exportedCarriers: [], unresolvedStatusCallees: [] };
      const needles = reach.exportedCarriers.filter((name) => !searched.has(name));
      const definitions = reach.unresolvedStatusCallees.filter((name) => !definitionsSearched.has(name));
      if (needles.length === 0 && definitions.length === 0) break;
      needles.forEach((name) => searched.add(name));
      definitions.forEach((name) => definitionsSearched.add(name));
      query = { needles, definitions };
    }
  }

  const errors = [...reader.errors, ...analysis.errors];
  const findings = [...analysis.findings];
  if (reader.tsFiles.length > 0) {
    progress({ phase: 'analysing', done: 0, total: reader.tsFiles.length });
    const tsAnalysis = await analyzeTypeScriptIsolatingFailures(reader.tsFiles);
    findings.push(...tsAnalysis.findings);
    errors.push(...tsAnalysis.errors);
  }
  const report: ScanReport = {
    version: TOOL_VERSION,
    findings: findings.sort(compareFindings),
    filesScanned: reader.considered,
    filesParsed: reader.parsedFiles(),
    elapsedMs: Math.round(performance.now() - started),
    errors: errors.sort((a, b) => compareText(a.file, b.file)),
  };
  return { report, sourceTexts: reader.texts };
}

/** ts-morph is loaded only when a scan has TS/JS files: C scans do not pay for it. */
async function analyzeTypeScriptFiles(files: TsSourceFile[]): Promise<{ findings: Finding[]; errors: FileError[] }> {
  if (files.length === 0) return { findings: [], errors: [] };
  const { analyzeTypeScript } = await import('../ts/analyze.js');
  return analyzeTypeScript(files);
}

function analyze(reader: SourceReader, progress: (progress: ScanProgress) => void): AnalysisOutcome {
  progress({ phase: 'analysing', done: 0, total: reader.units.length });
  return analyzeIsolatingFailures(reader.units);
}

/** Reads candidates into analysis units, follows quoted includes, and keeps the accounting. */
class SourceReader {
  readonly errors: FileError[] = [];
  readonly texts = new Map<string, string>();
  readonly units: CSourceUnit[] = [];
  readonly tsFiles: TsScanFile[] = [];
  /** Every file considered: discovered, failed in discovery, or reached through an include. */
  considered = 0;
  private readonly known = new Map<string, ScanCandidate>();
  private readonly done = new Set<string>();

  constructor(
    private readonly cwd: string,
    private readonly maxFileSize: number,
    private readonly rootDirectories: string[],
    private readonly progress: (progress: ScanProgress) => void,
  ) {}

  remember(files: readonly ScanCandidate[]): void {
    for (const file of files) {
      if (this.known.has(file.realPath)) continue;
      this.known.set(file.realPath, file);
      this.considered++;
    }
  }

  unread(): ScanCandidate[] {
    return [...this.known.values()].filter((file) => !this.done.has(file.realPath));
  }

  parsedFiles(): number {
    return new Set([...this.units.map((unit) => unit.path), ...this.tsFiles.map((file) => file.path)]).size;
  }

  /** Reads files (and, round by round, the files they include by quoted path); returns how many. */
  async read(files: readonly ScanCandidate[]): Promise<number> {
    let round = files.filter((file) => !this.done.has(file.realPath));
    let count = 0;
    while (round.length > 0) {
      round.forEach((file) => this.done.add(file.realPath));
      let finished = 0;
      const reads = await mapConcurrently(round, READ_CONCURRENCY, async (file) => {
        const result = await readSourceFile(file.path, this.maxFileSize);
        this.progress({ phase: 'reading', done: ++finished, total: round.length });
        return result;
      });
      const next: ScanCandidate[] = [];
      for (const [index, file] of round.entries()) {
        const read = reads[index];
        if (read === undefined) continue;
        count++;
        if (read.problem !== undefined) this.errors.push({ file: file.displayPath, message: read.problem });
        if (read.status !== 'text') continue;
        this.texts.set(file.displayPath, read.text);
        if (file.kind === 'typescript') {
          this.tsFiles.push({ path: file.displayPath, absolutePath: resolve(this.cwd, file.path), text: read.text });
          continue;
        }
        if (file.kind !== 'c') {
          this.units.push(...documentUnits(file.displayPath, read.text, file.kind, this.errors));
          continue;
        }
        this.units.push({ path: file.displayPath, text: read.text });
        for (const included of await resolveQuotedIncludes(file.path, read.text, this.rootDirectories)) {
          if (this.done.has(included.realPath)) continue;
          const candidate: ScanCandidate = { ...included, displayPath: toDisplayPath(this.cwd, included.path), kind: 'c' };
          if (!this.known.has(included.realPath)) this.remember([candidate]);
          next.push(candidate);
        }
      }
      round = next;
    }
    return count;
  }
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
