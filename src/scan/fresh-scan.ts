/** A scan the cache could not answer (loaded only then): discovery, the prefilter, the analyses. */
import { dirname, join, resolve } from 'node:path';
import type { CacheInputs } from '../cache/scan-cache.js';
import type { CBlock } from '../docs/extract-fragments.js';
import { discoverFiles, type Discovery, type NativeWalks } from '../files/discover.js';
import { toDisplayPath } from '../files/display-path.js';
import { resolveQuotedIncludes } from '../files/quoted-includes.js';
import { readSourceFile, readTextQuietly } from '../files/read-source.js';
import { isDocumentKind, languageOf, languageOfKind, type DocumentKind, type SourceKind } from '../files/source-kind.js';
import { mergedInputs, type Analysis, type AnalysisKind, type AnalysisOutcome, type SourceUnit } from '../languages/language.js';
import { FALLBACK_LANGUAGE, LANGUAGES } from '../languages/table.js';
import type { FileError, Finding, ScanReport } from '../model/finding.js';
import {
  includesUnwalkedFiles, namesStatusOrIsUnusable, namesStatusUnambiguously, NOTHING_FOUND, ringscanBinary, type SearchFlags, type WalkedFile,
} from '../native/ringscan.js';
import { TOOL_VERSION } from '../version.js';
import { chooseEngine, NON_HEADER_INCLUDE, STATUS_NEEDLES, type PrefilterEngine, type PrefilterQuery } from '../prefilter/byte-prefilter.js';
import { contentSelectedBy, namesStatusWord } from '../prefilter/byte-search.js';
import { structurallyRelevant } from '../prefilter/relevance-filter.js';
import { ReadAhead } from './read-ahead.js';
import { DEFAULT_MAX_FILE_SIZE } from './max-file-size.js';
import type { ScanOptions, ScanProgress, ScanResult } from './run-scan.js';

/** Files read at once: enough to hide disk latency on a kernel tree, few enough to keep descriptors. */
const READ_CONCURRENCY = 16;

interface ScanCandidate {
  path: string;
  realPath: string;
  displayPath: string;
  kind: SourceKind;
}

/** When the scan began: `performance.now()` for its elapsed time, and the wall clock in nanoseconds for the cache. */
interface ScanStart {
  started: number;
  startedAtNs: bigint;
}

/** Prefilter rounds: each may bring in files that use a helper the previous round found. */
const MAX_PREFILTER_ROUNDS = 6;

/**
 * A scan the cache could not answer: discovery, the prefilter's stages, the analyses, and what the
 * cache must record to answer the same scan next time.
 */
export async function scanFresh(
  options: ScanOptions, cwd: string, roots: readonly string[], started: ScanStart,
): Promise<{ result: ScanResult; cacheInputs: CacheInputs | undefined }> {
  const progress = options.onProgress ?? (() => undefined);
  progress({ phase: 'discovering', done: 0, total: 0 });
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const binary = ringscanBinary();
  // With --no-prefilter every file is judged in the workers; nothing is worth starting early.
  const readAhead = options.noPrefilter ? undefined : new ReadAhead(maxFileSize);
  const onFile = (file: WalkedFile): void => readAhead?.start(file);
  const ringscan = binary ? { binary, maxFileSize, onFile, prestarted: options.prestart?.walk } : undefined;
  const discovering = discoverFiles(roots, cwd, { noIgnore: options.noIgnore, ringscan });
  // The analyzer (tree-sitter and its grammar) loads while the tree is walked.
  void import('./analyze-isolated.js').catch(() => undefined);
  const discovery = await discovering;
  try {
    return await scanDiscovered(discovery, options, cwd, roots, started, readAhead, progress);
  } finally {
    discovery.native.release();
  }
}

/** The stages that follow the walk; `cacheInputs` when `options` ask for a cache and it can be trusted. */
async function scanDiscovered(
  discovery: Discovery, options: ScanOptions, cwd: string, roots: readonly string[], { started, startedAtNs }: ScanStart,
  readAhead: ReadAhead | undefined, progress: (progress: ScanProgress) => void,
): Promise<{ result: ScanResult; cacheInputs: CacheInputs | undefined }> {
  // Asked now, when a cache will be written: ringscan sorts them while the files are analysed. A
  // failure is handled where they are awaited, after the analysis (no cache is written then).
  const nativeStamps = options.cacheDirectory ? discovery.native.stamps().catch(() => undefined) : undefined;
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const reader = new SourceReader(cwd, maxFileSize, discovery.rootDirectories, discovery.native, readAhead, progress, options.noPrefilter ?? false);
  reader.errors.push(...discovery.errors);
  reader.considered += discovery.errors.length + discovery.native.unlistedCount;
  reader.remember(discovery.files);
  // Parsing every file means listing every file, also those the native walk found nothing in.
  if (options.noPrefilter) await reader.adoptNativelyWalked();

  // The byte prefilter looks for the needles of the languages whose files it selects; the files of
  // the others are all read (their analyzers skip what cannot matter).
  await reader.read(discovery.files.filter((file) => languageOfKind(file.kind)?.selection === 'every-file'));
  const engine = chooseEngine();
  // Files ringscan walked without listing them: it found nothing in them.
  const foundNatively = (file: ScanCandidate): SearchFlags | undefined =>
    discovery.searchedNatively.get(file.realPath) ?? (discovery.native.covers(file.realPath, false) ? NOTHING_FOUND : undefined);
  await readFilesThatMention(reader, engine, discovery.rootDirectories, foundNatively, options.noPrefilter ?? false, progress);
  const analyses = new Analyses();
  const analysis = await followNames(reader, engine, discovery.rootDirectories, await analyses.run(reader.units, progress), (units) => analyses.run(units, progress));

  const errors = [...reader.errors, ...analysis.errors];
  const findings = [...analysis.findings];
  const report: ScanReport = {
    version: TOOL_VERSION,
    findings: findings.sort(compareFindings),
    filesScanned: reader.considered,
    filesParsed: reader.parsedFiles(),
    elapsedMs: Math.round(performance.now() - started),
    errors: errors.sort((a, b) => compareText(a.file, b.file)),
  };
  // Without the native walks' stamps (ringscan failed writing them) no cache can be trusted.
  const stamps = await nativeStamps;
  const cacheInputs: CacheInputs | undefined = stamps && {
    // What the TypeScript programs loaded besides the scanned files: an edited helper outside the roots is a change.
    files: new Map([...(analysis.inputs?.loaded ?? []), ...reader.consideredTexts()]),
    directories: discovery.directories,
    // Below a natively walked root ignore files mean nothing (it is in no git work tree).
    watched: [...ignoreFilesThatCouldApply(roots, cwd, discovery.directories), ...(analysis.inputs?.configFiles ?? [])],
    native: { stamps, covers: (path) => discovery.native.covers(path, false) },
    startedAtNs,
  };
  return { result: { report, sourceTexts: reader.texts }, cacheInputs };
}

/**
 * Stage 1: files whose bytes mention the status word (or, with --no-prefilter, every file), kept
 * when their syntax trees do. Files that include another file by quoted path under a non-header
 * extension are selected too: that file is scanned as C, and only its includer names it.
 */
async function readFilesThatMention(
  reader: SourceReader, engine: PrefilterEngine, roots: readonly string[], walked: (file: ScanCandidate) => SearchFlags | undefined,
  everyFile: boolean, progress: (progress: ScanProgress) => void,
): Promise<void> {
  const candidates = reader.unread();
  candidates.forEach((file) => reader.searched.add(file.realPath));
  progress({ phase: 'prefiltering', done: 0, total: candidates.length });
  let selected = candidates;
  if (!everyFile) {
    const unsearched = candidates.filter((file) => walked(file) === undefined);
    const chosen = new Set([
      ...candidates.filter((file) => walked(file)?.flags),
      ...(await selectedBy(engine, unsearched, { needles: STATUS_NEEDLES, definitions: [], patterns: [NON_HEADER_INCLUDE] }, roots)),
    ]);
    selected = candidates.filter((file) => chosen.has(file));
  }
  // Sources of byte-searched languages; documents are judged by their blocks.
  const cFiles = selected.filter((file) => languageOfKind(file.kind)?.selection === 'needles');
  // What ringscan searched says from its flags whether it names the status word (by word: a file it
  // selected only for an include names none, and one with `tp_status` needs no tree to say so) and
  // whether it includes files the walk does not take; the other files are read to know.
  const namingStatus = await reader.findIncludes(cFiles.filter((file) => walked(file) === undefined));
  const includers = cFiles.filter((file) => {
    const facts = walked(file);
    return facts !== undefined && includesUnwalkedFiles(facts);
  });
  await reader.findIncludes(includers);
  const needsTree = (file: ScanCandidate): boolean => {
    const facts = walked(file);
    return facts !== undefined && namesStatusOrIsUnusable(facts) && !namesStatusUnambiguously(facts);
  };
  // Documents are judged by their C blocks when every file is parsed; otherwise those selected are read.
  const toParse = everyFile ? selected : [...namingStatus, ...cFiles.filter(needsTree)];
  // Files judged while the walk went on count as parsed as their judgements come in; the workers
  // report each file they finish.
  let judgedAheadCount = 0;
  const parsing = (done: number): void => progress({ phase: 'parsing', done, total: toParse.length });
  parsing(0);
  const judgedAhead = await Promise.all(
    toParse.map((file) => reader.readAhead?.relevance(file.realPath)?.finally(() => parsing(++judgedAheadCount))),
  );
  const judgedHere = toParse.filter((_, index) => judgedAhead[index] === undefined).map((file) => file.path);
  const { kept: relevant, parsed } = await structurallyRelevant(judgedHere, reader.maxFileSize, everyFile, (judged) => parsing(judgedAheadCount + judged));
  toParse.forEach((file, index) => {
    if (judgedAhead[index]?.kept) relevant.add(file.path);
    if (judgedAhead[index]?.parsed) parsed.add(file.path);
  });
  toParse.filter((file) => parsed.has(file.path)).forEach((file) => reader.parsedElsewhere.add(file.displayPath));
  const unambiguous = (file: ScanCandidate): boolean => {
    const facts = walked(file);
    return facts !== undefined && namesStatusUnambiguously(facts);
  };
  const judged = new Set(toParse);
  const isSource = (file: ScanCandidate): boolean => languageOfKind(file.kind)?.selection === 'needles';
  await reader.read(selected.filter((file) => (judged.has(file) ? relevant.has(file.path) : !isSource(file) || unambiguous(file))));
}

/**
 * Later stages: names the analysis could still use from files not read yet — exported helpers and
 * macros (their callers need not mention the status word), callees defined nowhere read so far —
 * and files that quoted includes brought in. Returns the analysis of everything read.
 */
async function followNames(
  reader: SourceReader, engine: PrefilterEngine, roots: readonly string[], first: AnalysisOutcome,
  analyze: (units: readonly SourceUnit[]) => Promise<AnalysisOutcome>,
): Promise<AnalysisOutcome> {
  let analysis = first;
  const names: string[] = [];
  const definitionNames: string[] = [];
  for (let round = 1; round < MAX_PREFILTER_ROUNDS; round++) {
    const reach = analysis.reach ?? { exportedCarriers: [], unresolvedStatusCallees: [] };
    const newNames: PrefilterQuery = {
      needles: reach.exportedCarriers.filter((name) => !names.includes(name)),
      definitions: reach.unresolvedStatusCallees.filter((name) => !definitionNames.includes(name)),
    };
    names.push(...newNames.needles);
    definitionNames.push(...newNames.definitions);
    // New names must be looked for in every file read so far, the native walk's too.
    if (hasNames(newNames)) await reader.adoptNativelyWalked();
    const unread = reader.unread();
    const fresh = unread.filter((file) => !reader.searched.has(file.realPath));
    if (!hasNames(newNames) && fresh.length === 0) break;
    const stale = hasNames(newNames) ? unread.filter((file) => reader.searched.has(file.realPath)) : [];
    fresh.forEach((file) => reader.searched.add(file.realPath));
    const everything: PrefilterQuery = { needles: [...STATUS_NEEDLES, ...names], definitions: definitionNames };
    const adoptedBlocks = reader.lookFor(everything);
    const selected = [
      ...(await selectedBy(engine, fresh, everything, roots)),
      ...(await selectedBy(engine, stale, newNames, roots)),
    ];
    if ((await reader.read(selected)) + adoptedBlocks === 0) break;
    analysis = await analyze(reader.units);
  }
  return analysis;
}

/** .gitignore and exclude files in every walked directory and above each root: creating one changes the scan. */
function ignoreFilesThatCouldApply(roots: readonly string[], cwd: string, directories: readonly string[]): string[] {
  const places = new Set(directories);
  for (const root of roots) {
    for (let dir = resolve(cwd, root); ; dir = dirname(dir)) {
      places.add(dir);
      if (dirname(dir) === dir) break;
    }
  }
  return [...places].flatMap((dir) => [join(dir, '.gitignore'), join(dir, '.git', 'info', 'exclude')]);
}

/**
 * The analyses of the units read, one per kind of analysis of the language table (C and C++ share
 * one), each loaded on first use: a scan answered from the cache needs none, a C scan no TypeScript.
 * An analysis runs again only when a prefilter round brought it units.
 */
class Analyses {
  private readonly done = new Map<AnalysisKind, { units: number; outcome: AnalysisOutcome }>();

  async run(units: readonly SourceUnit[], progress: (progress: ScanProgress) => void): Promise<AnalysisOutcome> {
    const merged: AnalysisOutcome & Required<Pick<AnalysisOutcome, 'reach'>> = { findings: [], errors: [], reach: { exportedCarriers: [], unresolvedStatusCallees: [] } };
    for (const kind of new Set(LANGUAGES.map((language) => language.analysis))) {
      const own = units.filter((unit) => unit.language.analysis === kind);
      if (own.length === 0) continue;
      let done = this.done.get(kind);
      if (done?.units !== own.length) {
        done = { units: own.length, outcome: await analyzeWith(kind, own, progress) };
        this.done.set(kind, done);
      }
      merged.findings.push(...done.outcome.findings);
      merged.errors.push(...done.outcome.errors);
      merged.reach.exportedCarriers.push(...(done.outcome.reach?.exportedCarriers ?? []));
      merged.reach.unresolvedStatusCallees.push(...(done.outcome.reach?.unresolvedStatusCallees ?? []));
      merged.inputs = mergedInputs(merged.inputs, done.outcome.inputs);
    }
    return merged;
  }
}

async function analyzeWith(kind: AnalysisKind, units: readonly SourceUnit[], progress: (progress: ScanProgress) => void): Promise<AnalysisOutcome> {
  const total = units.length;
  progress({ phase: 'analysing', done: 0, total });
  let analysis: Analysis;
  try {
    analysis = await kind.load(LANGUAGES.filter((language) => language.analysis === kind));
  } catch (error) {
    const reason = `${kind.name} analyzer unavailable (${describe(error)}); not analysed`;
    return { findings: [], errors: [...new Set(units.map((unit) => unit.path))].map((file) => ({ file, message: reason })) };
  }
  const { analyzeIsolatingFailures } = await import('./analyze-isolated.js');
  return analyzeIsolatingFailures(units, (batch, onUnitIndexed) => analysis.analyze(batch, onUnitIndexed), (indexed) => progress({ phase: 'analysing', done: indexed, total }));
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function selectedBy(engine: PrefilterEngine, files: ScanCandidate[], query: PrefilterQuery, roots: readonly string[]): Promise<ScanCandidate[]> {
  if (files.length === 0) return [];
  const selected = await engine.search(files, query, roots);
  return files.filter((file) => selected.has(file.path));
}

function hasNames(query: PrefilterQuery): boolean {
  return query.needles.length > 0 || query.definitions.length > 0;
}

/** Reads candidates into analysis units, follows quoted includes, and keeps the accounting. */
class SourceReader {
  readonly errors: FileError[] = [];
  readonly texts = new Map<string, string>();
  /** Every language's, in the order read. */
  readonly units: SourceUnit[] = [];
  /** Every file considered: discovered, failed in discovery, or reached through an include. */
  considered = 0;
  private readonly known = new Map<string, ScanCandidate>();
  private readonly done = new Set<string>();
  /** Real paths the prefilter has searched. */
  readonly searched = new Set<string>();

  /** Blocks of the documents read whose own bytes name nothing the scan has looked for so far. */
  private deferredBlocks: Array<{ path: string; block: CBlock }> = [];
  /** Which document blocks are analysed: those naming what the scan looks for, or all (--no-prefilter). */
  private blockSelected: (source: string) => boolean;

  constructor(
    private readonly cwd: string,
    readonly maxFileSize: number,
    private readonly rootDirectories: string[],
    private readonly native: NativeWalks,
    readonly readAhead: ReadAhead | undefined,
    private readonly progress: (progress: ScanProgress) => void,
    private readonly everyBlock: boolean,
  ) {
    this.blockSelected = everyBlock ? () => true : namesStatusWord;
  }

  /**
   * A document's blocks are units of their own, and like files only those whose bytes can matter
   * are parsed. From now on blocks are analysed when they match `query`; returns how many blocks
   * deferred so far match it (and are analysed now).
   */
  lookFor(query: PrefilterQuery): number {
    if (!this.everyBlock) this.blockSelected = contentSelectedBy(query);
    const deferred = this.deferredBlocks;
    this.deferredBlocks = [];
    return deferred.filter(({ path, block }) => this.addBlock(path, block)).length;
  }

  /** Analyses the block when it is selected, else defers it; true when analysed. */
  private addBlock(path: string, block: CBlock): boolean {
    if (!this.blockSelected(block.source)) {
      this.deferredBlocks.push({ path, block });
      return false;
    }
    try {
      this.units.push({ path, absolutePath: resolve(this.cwd, path), text: block.unitText(), rowBase: block.rowBase, language: block.language });
    } catch (error) {
      if (!this.errors.some((known) => known.file === path)) {
        this.errors.push({ file: path, message: `cannot extract code blocks: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
    return true;
  }

  private readonly knownPaths = new Set<string>();
  /** Known, or met by a native walk (which counted and searched it). */
  private readonly isKnownPath = (path: string): boolean => this.knownPaths.has(path) || this.native.covers(path, false);

  remember(files: readonly ScanCandidate[]): void {
    for (const file of files) {
      if (this.known.has(file.realPath)) continue;
      this.known.set(file.realPath, file);
      this.knownPaths.add(file.path);
      this.considered++;
    }
  }

  private adopted = false;

  /**
   * Makes every file the native walks met a candidate, as searched (for the status word) and
   * already counted. Once: the walks' stamps are parsed only when a scan needs their files.
   */
  async adoptNativelyWalked(): Promise<void> {
    if (this.adopted) return;
    this.adopted = true;
    for (const file of await this.native.unlistedFiles((realPath) => this.known.has(realPath))) {
      this.known.set(file.realPath, file);
      this.knownPaths.add(file.path);
      this.searched.add(file.realPath);
    }
  }

  /**
   * The files `file` includes by quoted path, as candidates, except those a native walk met: of
   * their own kind when the walk takes their names, else read in the includer's language.
   */
  private async includedBy(file: ScanCandidate, text: string): Promise<ScanCandidate[]> {
    const included = await resolveQuotedIncludes(file.path, text, this.rootDirectories, this.isKnownPath);
    return included
      .filter(({ realPath }) => !this.native.covers(realPath, false))
      .map((found) => ({ ...found, displayPath: toDisplayPath(this.cwd, found.path), kind: languageOf(found.path)?.id ?? file.kind }));
  }

  /** Real path → text (undefined when not read) for every file considered: what the cache records. */
  consideredTexts(): Map<string, string | undefined> {
    return new Map([...this.known.values()].map((file) => [file.realPath, this.texts.get(file.displayPath)]));
  }

  unread(): ScanCandidate[] {
    return [...this.known.values()].filter((file) => !this.done.has(file.realPath));
  }

  /** Display paths of files parsed by the prefilter's workers. */
  readonly parsedElsewhere = new Set<string>();

  parsedFiles(): number {
    return new Set([...this.parsedElsewhere, ...this.units.map((unit) => unit.path)]).size;
  }

  /**
   * Makes the files that `files` include by quoted path candidates, without analysing `files`;
   * returns those of `files` whose text names the status word (or that could not be read: the
   * scan reports them). The texts are not kept: with --no-prefilter this reads a whole tree.
   */
  async findIncludes(files: readonly ScanCandidate[]): Promise<ScanCandidate[]> {
    const found = await mapConcurrently(files, READ_CONCURRENCY, async (file) => {
      const text = this.texts.get(file.displayPath) ?? (await this.readAhead?.includerText(file.realPath)) ?? readTextQuietly(file.path);
      const naming = text === undefined || STATUS_NEEDLES.some((needle) => text.includes(needle)) || text.includes('\0');
      return { naming, included: text === undefined ? [] : await this.includedBy(file, text) };
    });
    // Remembered in the files' order, whichever resolved first: candidates keep a stable order.
    found.forEach(({ included }) => this.remember(included));
    return files.filter((_, index) => found[index]!.naming);
  }

  /** Reads files and returns how many. Files they include by quoted path become candidates for the next prefilter round. */
  async read(files: readonly ScanCandidate[]): Promise<number> {
    const batch = files.filter((file) => !this.done.has(file.realPath));
    batch.forEach((file) => this.done.add(file.realPath));
    let finished = 0;
    const reads = await mapConcurrently(batch, READ_CONCURRENCY, async (file) => {
      const result = (await this.readAhead?.read(file.realPath)) ?? { read: await readSourceFile(file.path, this.maxFileSize) };
      this.progress({ phase: 'reading', done: ++finished, total: batch.length });
      return result;
    });
    for (const [index, file] of batch.entries()) {
      const { read, blocks } = reads[index] ?? {};
      if (read === undefined) continue;
      if (read.problem !== undefined) this.errors.push({ file: file.displayPath, message: read.problem });
      if (read.status !== 'text') continue;
      this.texts.set(file.displayPath, read.text);
      if (isDocumentKind(file.kind)) {
        for (const block of blocks ?? (await blocksOf(file.displayPath, read.text, file.kind, this.errors))) this.addBlock(file.displayPath, block);
        continue;
      }
      const language = languageOfKind(file.kind) ?? FALLBACK_LANGUAGE;
      this.units.push({ path: file.displayPath, absolutePath: resolve(this.cwd, file.path), text: read.text, language });
      if (language.selection === 'needles') this.remember(await this.includedBy(file, read.text));
    }
    return batch.length;
  }
}

async function blocksOf(path: string, text: string, kind: DocumentKind, errors: FileError[]): Promise<CBlock[]> {
  // Loaded on first use: fragment extraction parses with tree-sitter, which a cache hit never needs.
  const { findCBlocks } = await import('../docs/extract-fragments.js');
  try {
    return findCBlocks(text, kind);
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
