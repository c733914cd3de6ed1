/** A scan the cache could not answer (loaded only then): discovery, the prefilter, the analyses. */
import { dirname, join, resolve } from 'node:path';
import type { CacheInputs } from '../cache/scan-cache.js';
import { discoverFiles, type Discovery } from '../files/discover.js';
import { languageOfKind } from '../files/source-kind.js';
import type { AnalysisOutcome, SourceUnit } from '../languages/language.js';
import type { ScanReport } from '../model/finding.js';
import { compareFindings, compareText } from '../model/finding-order.js';
import { ringscanBinary } from '../native/ringscan-binary.js';
import {
  includesUnwalkedFiles, namesStatusOrIsUnusable, namesStatusUnambiguously, NOTHING_FOUND, type SearchFlags, type WalkedFile,
} from '../native/walked-file.js';
import { TOOL_VERSION } from '../version.js';
import { STATUS_NEEDLES, type PrefilterQuery } from '../prefilter/byte-prefilter.js';
import { selectedByBytes } from '../prefilter/byte-search.js';
import { structurallyRelevant } from '../prefilter/relevance-filter.js';
import { Analyses } from './analyses.js';
import { ReadAhead } from './read-ahead.js';
import { DEFAULT_MAX_FILE_SIZE } from './max-file-size.js';
import type { ScanOptions, ScanProgress, ScanResult } from './run-scan.js';
import { SourceReader, type ScanCandidate } from './source-reader.js';

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
  const analyses = new Analyses();
  // With --no-prefilter every file is judged in the workers; nothing is worth starting early.
  const readAhead = options.noPrefilter ? undefined : new ReadAhead(maxFileSize, (text, language) => analyses.prepare(text, language));
  const onFile = (file: WalkedFile): void => readAhead?.start(file);
  const ringscan = binary ? { binary, maxFileSize, onFile, prestarted: options.prestart?.walk } : undefined;
  const discovery = await discoverFiles(roots, cwd, { noIgnore: options.noIgnore, ringscan });
  try {
    return await scanDiscovered(discovery, options, cwd, roots, started, readAhead, analyses, progress);
  } finally {
    discovery.native.release();
  }
}

/** The stages that follow the walk; `cacheInputs` when `options` ask for a cache and it can be trusted. */
async function scanDiscovered(
  discovery: Discovery, options: ScanOptions, cwd: string, roots: readonly string[], { started, startedAtNs }: ScanStart,
  readAhead: ReadAhead | undefined, analyses: Analyses, progress: (progress: ScanProgress) => void,
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
  if (options.noPrefilter) await reader.trackNativelyWalked();

  // The byte prefilter looks for the needles of the languages whose files it selects; the files of
  // the others are all read (their analyzers skip what cannot matter).
  await reader.read(discovery.files.filter((file) => languageOfKind(file.kind)?.selection === 'every-file'));
  // Files ringscan walked without listing them: it found nothing in them.
  const foundNatively = (file: ScanCandidate): SearchFlags | undefined =>
    discovery.searchedNatively.get(file.realPath) ?? (discovery.native.covers(file.realPath, false) ? NOTHING_FOUND : undefined);
  await readFilesThatMention(reader, foundNatively, options.noPrefilter ?? false, progress);
  const analysis = await followNames(reader, await analyses.run(reader.units, progress), (units) => analyses.run(units, progress));

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
  reader: SourceReader, walked: (file: ScanCandidate) => SearchFlags | undefined,
  everyFile: boolean, progress: (progress: ScanProgress) => void,
): Promise<void> {
  const candidates = reader.unread();
  reader.markSearched(candidates);
  progress({ phase: 'prefiltering', done: 0, total: candidates.length });
  let selected = candidates;
  if (!everyFile) {
    const unsearched = candidates.filter((file) => walked(file) === undefined);
    const chosen = new Set([
      ...candidates.filter((file) => walked(file)?.flags),
      ...selectedBy(unsearched, { needles: STATUS_NEEDLES, definitions: [], nonHeaderIncludes: true }),
    ]);
    selected = candidates.filter((file) => chosen.has(file));
  }
  // Sources of byte-searched languages; documents are judged by their blocks.
  const cFiles = selected.filter((file) => languageOfKind(file.kind)?.selection === 'needles');
  // What ringscan searched says from its flags whether it names the status word (by word: a file it
  // selected only for an include names none, and one with `tp_status` needs no tree to say so) and
  // whether it includes files the walk does not take; the other files are read to know.
  const namingStatus = await reader.findIncludes(cFiles.filter((file) => walked(file) === undefined));
  await reader.findIncludes(cFiles.filter((file) => includesUnwalkedFiles(walked(file))));
  const needsTree = (file: ScanCandidate): boolean => namesStatusOrIsUnusable(walked(file)) && !namesStatusUnambiguously(walked(file));
  // Documents are judged by their C blocks when every file is parsed; otherwise those selected are read.
  const toParse = everyFile ? selected : [...namingStatus, ...cFiles.filter(needsTree)];
  // Files judged while the walk went on count as parsed as their judgements come in; the workers
  // report each file they finish.
  let judgedDuringWalkCount = 0;
  const parsing = (done: number): void => progress({ phase: 'parsing', done, total: toParse.length });
  parsing(0);
  const judgedDuringWalk = await Promise.all(
    toParse.map((file) => reader.readAhead?.relevance(file.realPath)?.finally(() => parsing(++judgedDuringWalkCount))),
  );
  const judgedNow = toParse.filter((_, index) => judgedDuringWalk[index] === undefined).map((file) => file.path);
  const { kept: relevant, parsed } = await structurallyRelevant(judgedNow, reader.maxFileSize, everyFile, (judged) => parsing(judgedDuringWalkCount + judged));
  toParse.forEach((file, index) => {
    if (judgedDuringWalk[index]?.kept) relevant.add(file.path);
    if (judgedDuringWalk[index]?.parsed) parsed.add(file.path);
  });
  reader.markParsedByPrefilter(toParse.filter((file) => parsed.has(file.path)));
  const judged = new Set(toParse);
  const isSource = (file: ScanCandidate): boolean => languageOfKind(file.kind)?.selection === 'needles';
  await reader.read(selected.filter((file) => (judged.has(file) ? relevant.has(file.path) : !isSource(file) || namesStatusUnambiguously(walked(file)))));
}

/**
 * Later stages: names the analysis could still use from files not read yet — exported helpers and
 * macros (their callers need not mention the status word), callees defined nowhere read so far —
 * and files that quoted includes brought in. Returns the analysis of everything read.
 */
async function followNames(
  reader: SourceReader, first: AnalysisOutcome,
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
    if (hasNames(newNames)) await reader.trackNativelyWalked();
    const unread = reader.unread();
    const unsearched = unread.filter((file) => !reader.isSearched(file));
    if (!hasNames(newNames) && unsearched.length === 0) break;
    const searchedBefore = hasNames(newNames) ? unread.filter((file) => reader.isSearched(file)) : [];
    reader.markSearched(unsearched);
    const everything: PrefilterQuery = { needles: [...STATUS_NEEDLES, ...names], definitions: definitionNames };
    const adoptedBlocks = reader.lookFor(everything);
    const selected = [
      ...selectedBy(unsearched, everything),
      ...selectedBy(searchedBefore, newNames),
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

function selectedBy(files: ScanCandidate[], query: PrefilterQuery): ScanCandidate[] {
  if (files.length === 0) return [];
  const selected = selectedByBytes(files.map((file) => file.path), query);
  return files.filter((file) => selected.has(file.path));
}

function hasNames(query: PrefilterQuery): boolean {
  return query.needles.length > 0 || query.definitions.length > 0;
}
