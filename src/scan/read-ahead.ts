/**
 * Work on the files the native walk flags, started as ringscan reports each one: reading, the tree
 * check of files that may name the status word only in look-alikes, code-block extraction from
 * documents, parsing. ringscan keeps the cores busy, but Node's thread would otherwise only wait
 * for it. Whatever fails here is left for the scan's own stages to do again and report.
 */
import { readSourceFile, type SourceRead } from '../files/read-source.js';
import { namesStatusOrIsUnusable, namesStatusUnambiguously, type WalkedFile } from '../native/walked-file.js';
import type { CBlock } from '../docs/extract-fragments.js';
import { isDocumentKind, languageOfKind } from '../files/source-kind.js';
import type { Language } from '../languages/language.js';
import { FALLBACK_LANGUAGE } from '../languages/table.js';
import { namesStatusWord } from '../prefilter/byte-search.js';
import type { Relevance } from '../prefilter/live-status-word.js';

export interface FileReadAhead {
  read: SourceRead;
  /** A document's C blocks. */
  blocks?: CBlock[];
}

export class ReadAhead {
  private readonly reads = new Map<string, Promise<FileReadAhead | undefined>>();
  private readonly judgements = new Map<string, Promise<Relevance | undefined>>();

  /** `parse`: parses a text for the scan's analysis of its language, which keeps it for the unit that will hold it. */
  constructor(
    private readonly maxFileSize: number,
    private readonly parse: (text: string, language: Language) => Promise<void>,
  ) {}

  /** Starts on a file the walk met, as the scan's first stage would treat it. */
  start(file: WalkedFile): void {
    // ringscan stamps the files of languages whose files are all read, without searching them.
    if (languageOfKind(file.kind)?.selection === 'every-file') return;
    if (namesStatusUnambiguously(file)) {
      this.reads.set(file.path, this.prepare(file));
    } else if (namesStatusOrIsUnusable(file)) {
      const judged = this.judge(file);
      this.judgements.set(file.path, judged);
      this.reads.set(file.path, judged.then((relevance) => (relevance?.kept ? this.prepare(file) : undefined)));
    }
  }

  /** The file read (and its blocks extracted, its units parsed), by real path; undefined when not done ahead. */
  read(realPath: string): Promise<FileReadAhead | undefined> | undefined {
    return this.reads.get(realPath);
  }

  /** Whether the file holds the status word in live code, by real path; undefined when not judged ahead. */
  relevance(realPath: string): Promise<Relevance | undefined> | undefined {
    return this.judgements.get(realPath);
  }

  private async prepare(file: WalkedFile): Promise<FileReadAhead | undefined> {
    try {
      const read = await readSourceFile(file.path, this.maxFileSize);
      if (read.status !== 'text') return { read };
      if (isDocumentKind(file.kind)) {
        const { findCBlocks } = await import('../docs/extract-fragments.js');
        const blocks = findCBlocks(read.text, file.kind);
        // The blocks the scan's first round analyses (see SourceReader.lookFor).
        for (const block of blocks) if (namesStatusWord(block.source)) await this.parse(block.unitText(), block.language);
        return { read, blocks };
      }
      await this.parse(read.text, languageOfKind(file.kind) ?? FALLBACK_LANGUAGE);
      return { read };
    } catch {
      return undefined;
    }
  }

  private async judge(file: WalkedFile): Promise<Relevance | undefined> {
    try {
      const { holdsStatusWordInLiveCode } = await import('../prefilter/live-status-word.js');
      return holdsStatusWordInLiveCode(file.path, this.maxFileSize, false);
    } catch {
      return undefined;
    }
  }
}
