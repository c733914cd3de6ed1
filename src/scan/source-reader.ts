/**
 * A fresh scan's files: every candidate the scan has met, where each stands (met, its bytes searched
 * by the prefilter, read), the analysis units read from them, and the accounting reports show.
 */
import { resolve } from 'node:path';
import type { CBlock } from '../docs/extract-fragments.js';
import type { DiscoveredFile, NativeWalks } from '../files/discover.js';
import { toDisplayPath } from '../files/display-path.js';
import { resolveQuotedIncludes } from '../files/quoted-includes.js';
import { readSourceFile, readTextQuietly } from '../files/read-source.js';
import { isDocumentKind, languageOf, languageOfKind, type DocumentKind } from '../files/source-kind.js';
import type { SourceUnit } from '../languages/language.js';
import { FALLBACK_LANGUAGE } from '../languages/table.js';
import type { FileError } from '../model/finding.js';
import { STATUS_NEEDLES, type PrefilterQuery } from '../prefilter/byte-prefilter.js';
import { contentSelectedBy, namesStatusWord } from '../prefilter/byte-search.js';
import type { ReadAhead } from './read-ahead.js';
import type { ScanProgress } from './run-scan.js';

/** Files read at once: enough to hide disk latency on a kernel tree, few enough to keep descriptors. */
const READ_CONCURRENCY = 16;

/** A file discovered, or reached through a quoted include. */
export type ScanCandidate = DiscoveredFile;

/**
 * Where a candidate stands; it only moves forward. `met`: discovered, or reached through a quoted
 * include. `searched`: the prefilter has looked through its bytes for the status word (ringscan's
 * walk counts), so a later round looks in it only for names found since. `read`: its text was
 * taken (or failed to be), once.
 */
type FileStage = 'met' | 'searched' | 'read';

interface TrackedFile {
  candidate: ScanCandidate;
  stage: FileStage;
  /** Parsed by the prefilter's structural test, which counts as parsed in the report. */
  parsedByPrefilter: boolean;
}

/** Reads candidates into analysis units, follows quoted includes, and keeps the accounting. */
export class SourceReader {
  readonly errors: FileError[] = [];
  /** Display path → text of every file read. */
  readonly texts = new Map<string, string>();
  /** Every language's, in the order read. */
  readonly units: SourceUnit[] = [];
  /** Every file considered: discovered, failed in discovery, or reached through an include. */
  considered = 0;
  /** By real path, in the order met. */
  private readonly files = new Map<string, TrackedFile>();
  /** The paths (as the walk or an include named them) of the files met, for include resolution. */
  private readonly metPaths = new Set<string>();
  /** Whether the files the native walks met without listing them are tracked yet. */
  private nativelyWalkedTracked = false;

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

  /** Met, or met by a native walk (which counted and searched it). */
  private readonly wasMet = (path: string): boolean => this.metPaths.has(path) || this.native.covers(path, false);

  private track(candidate: ScanCandidate, stage: FileStage): void {
    this.files.set(candidate.realPath, { candidate, stage, parsedByPrefilter: false });
    this.metPaths.add(candidate.path);
  }

  /** Makes `files` candidates, counted as considered; files met before are left as they stand. */
  remember(files: readonly ScanCandidate[]): void {
    for (const file of files) {
      if (this.files.has(file.realPath)) continue;
      this.track(file, 'met');
      this.considered++;
    }
  }

  /**
   * Makes every file the native walks met a candidate, as searched (for the status word) and
   * already counted. Once: the walks' stamps are parsed only when a scan needs their files.
   */
  async trackNativelyWalked(): Promise<void> {
    if (this.nativelyWalkedTracked) return;
    this.nativelyWalkedTracked = true;
    for (const file of await this.native.unlistedFiles((realPath) => this.files.has(realPath))) this.track(file, 'searched');
  }

  /** Candidates not read yet, in the order met. */
  unread(): ScanCandidate[] {
    return [...this.files.values()].filter((file) => file.stage !== 'read').map((file) => file.candidate);
  }

  isSearched(file: ScanCandidate): boolean {
    return this.files.get(file.realPath)?.stage === 'searched';
  }

  /** Records that the prefilter searched `files` (read files stay read). */
  markSearched(files: readonly ScanCandidate[]): void {
    for (const file of files) {
      const tracked = this.files.get(file.realPath);
      if (tracked?.stage === 'met') tracked.stage = 'searched';
    }
  }

  markParsedByPrefilter(files: readonly ScanCandidate[]): void {
    for (const file of files) {
      const tracked = this.files.get(file.realPath);
      if (tracked) tracked.parsedByPrefilter = true;
    }
  }

  /** Files parsed, by the prefilter or for the analysis. */
  parsedFiles(): number {
    const byPrefilter = [...this.files.values()].filter((file) => file.parsedByPrefilter).map((file) => file.candidate.displayPath);
    return new Set([...byPrefilter, ...this.units.map((unit) => unit.path)]).size;
  }

  /** Real path → text (undefined when not read) for every file considered: what the cache records. */
  consideredTexts(): Map<string, string | undefined> {
    return new Map([...this.files.values()].map(({ candidate }) => [candidate.realPath, this.texts.get(candidate.displayPath)]));
  }

  /**
   * The files `file` includes by quoted path, as candidates, except those a native walk met: of
   * their own kind when the walk takes their names, else read in the includer's language.
   */
  private async includedBy(file: ScanCandidate, text: string): Promise<ScanCandidate[]> {
    const included = await resolveQuotedIncludes(file.path, text, this.rootDirectories, this.wasMet);
    return included
      .filter(({ realPath }) => !this.native.covers(realPath, false))
      .map((found) => ({ ...found, displayPath: toDisplayPath(this.cwd, found.path), kind: languageOf(found.path)?.id ?? file.kind }));
  }

  /**
   * Makes the files that `files` include by quoted path candidates, without analysing `files`;
   * returns those of `files` whose text names the status word (or that could not be read: the
   * scan reports them). The texts are not kept: with --no-prefilter this reads a whole tree.
   */
  async findIncludes(files: readonly ScanCandidate[]): Promise<ScanCandidate[]> {
    const found = await mapConcurrently(files, READ_CONCURRENCY, async (file) => {
      const text = this.texts.get(file.displayPath) ?? readTextQuietly(file.path);
      const naming = text === undefined || STATUS_NEEDLES.some((needle) => text.includes(needle)) || text.includes('\0');
      return { naming, included: text === undefined ? [] : await this.includedBy(file, text) };
    });
    // Remembered in the files' order, whichever resolved first: candidates keep a stable order.
    found.forEach(({ included }) => this.remember(included));
    return files.filter((_, index) => found[index]!.naming);
  }

  /** Reads the candidates among `files` not read yet and returns how many. Files they include by quoted path become candidates for the next prefilter round. */
  async read(files: readonly ScanCandidate[]): Promise<number> {
    // Every file read was met first: discovered, walked natively or included.
    const batch = files.filter((file) => this.files.get(file.realPath)!.stage !== 'read');
    for (const file of batch) this.files.get(file.realPath)!.stage = 'read';
    let finished = 0;
    const reads = await mapConcurrently(batch, READ_CONCURRENCY, async (file) => {
      const result = (await this.readAhead?.read(file.realPath)) ?? { read: await readSourceFile(file.path, this.maxFileSize) };
      this.progress({ phase: 'reading', done: ++finished, total: batch.length });
      return result;
    });
    for (const [index, file] of batch.entries()) {
      const { read, blocks } = reads[index]!; // one per file
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
