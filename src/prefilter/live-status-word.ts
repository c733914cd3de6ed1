/** The second stage's question about one file, asked of its syntax tree. */
import { readFileSync, statSync } from 'node:fs';
import type { SyntaxNode } from '../c/parser.js';
import { isRingBlockPath, RING_BLOCK_HINT } from '../c/ring-words.js';
import { isInDeadCode } from '../c/tree-walk.js';
import { findCBlocks } from '../docs/extract-fragments.js';
import { fsPath } from '../files/path-bytes.js';
import { isDocumentKind, languageOf, sourceKindOf } from '../files/source-kind.js';
import type { FrontEnd, Language } from '../languages/language.js';
import type { StatusVocabulary } from '../model/status-vocabulary.js';
import type { SyntaxTree } from '../tree-sitter/grammar-parser.js';
import { FALLBACK_LANGUAGE, LANGUAGES } from '../languages/table.js';
import { STATUS_NEEDLES } from './byte-prefilter.js';
import type { RelevanceAnswer } from './relevance-filter.js';

/**
 * The languages the byte search selects files of, with their parsers: loaded with this module,
 * which a scan loads only to judge files (tree-sitter grammars of the C family; the tree questions
 * below are the C family's node types).
 */
const FRONT_ENDS: ReadonlyMap<Language, FrontEnd> = new Map(
  await Promise.all(LANGUAGES.filter((language) => language.selection === 'needles').map(async (language) => [language, await language.frontEnd()] as const)),
);

function parserOf(language: Language): NonNullable<FrontEnd['parse']> {
  return (FRONT_ENDS.get(language) ?? FRONT_ENDS.get(FALLBACK_LANGUAGE)!).parse!; // needle languages are parsed by tree-sitter
}

export interface Relevance {
  kept: boolean;
  /** Whether a syntax tree was needed to tell (the scan counts parsed files). */
  parsed: boolean;
}

/**
 * Whether the file holds the status word in live code: a field, a TP_STATUS_* name or a macro body,
 * not a comment, a string or `#if 0` — in a document, in one of its C blocks. Files the scan must
 * report (too large, unreadable, binary or not splittable into blocks) are kept. `parseEvery`
 * (--no-prefilter): parse each file, also one whose bytes already say no.
 */
export function holdsStatusWordInLiveCode(path: string, maxFileSize: number, parseEvery: boolean): Relevance {
  let text: string;
  try {
    if (statSync(fsPath(path)).size > maxFileSize) return { kept: true, parsed: false }; // the scan reports it
    text = readFileSync(fsPath(path), 'utf8');
  } catch {
    return { kept: true, parsed: false }; // unreadable: the scan reports why
  }
  if (text.includes('\0')) return { kept: true, parsed: false }; // binary: the scan reports it
  if (!parseEvery && !mayMentionStatus(text)) return { kept: false, parsed: false };
  const kind = sourceKindOf(path);
  try {
    if (kind !== undefined && isDocumentKind(kind)) {
      // Only blocks whose own bytes name the status word are parsed to ask (unless every one is).
      const blocks = findCBlocks(text, kind).filter((block) => parseEvery || mayMentionStatus(block.source));
      return { kept: blocks.some((block) => mentionsStatusInLiveCode(block.unitText(), block.language)), parsed: blocks.length > 0 };
    }
    return { kept: mentionsStatusInLiveCode(text, languageOf(path) ?? FALLBACK_LANGUAGE), parsed: true };
  } catch {
    return { kept: true, parsed: true };
  }
}

/**
 * `holdsStatusWordInLiveCode` for each path, as the relevance stage answers; `afterEach` hears of
 * each path judged, and whether it was parsed, before the next is.
 */
export async function judgeRelevance(
  paths: readonly string[], maxFileSize: number, parseEvery: boolean,
  afterEach?: (path: string, parsed: boolean, index: number) => Promise<void>,
): Promise<RelevanceAnswer> {
  const answer: RelevanceAnswer = { kept: [], parsed: [] };
  for (const [index, path] of paths.entries()) {
    const { kept, parsed } = holdsStatusWordInLiveCode(path, maxFileSize, parseEvery);
    if (kept) answer.kept.push(path);
    if (parsed) answer.parsed.push(path);
    await afterEach?.(path, parsed, index);
  }
  return answer;
}

/**
 * Whether the tree holds the status word in live code. A file the language's grammar cannot read
 * (a C++ class in a `.h`, C's by name) is asked of the other grammars too before it is turned away.
 */
function mentionsStatusInLiveCode(text: string, language: Language): boolean {
  const root = parserOf(language)(text).rootNode;
  if (mentionsInTree(text, root, language)) return true;
  if (!root.hasError) return false;
  return [...FRONT_ENDS.keys()].some((other) => other !== language && mentionsInTree(text, parserOf(other)(text).rootNode, other));
}

function mentionsInTree(text: string, root: SyntaxTree['rootNode'], language: Language): boolean {
  const mayHaveDeadCode = /#\s*if\s+0/.test(text);
  // Asking the tree about each mention is far cheaper than querying every identifier of the file.
  for (const needle of STATUS_NEEDLES) {
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
      if (!startsWord(text, at)) continue; // sctp_status, DP_TP_STATUS_…: other names
      const node = root.descendantForIndex(at);
      if (mayHaveDeadCode && isInDeadCode(node)) continue;
      if (mentionsStatus(node, language.vocabulary)) return true;
    }
  }
  return false;
}

/**
 * False when no tree of `text` can mention the status word, decided without parsing: without
 * `tp_status` or a TP_STATUS_ name starting a word, only a ring block's `block_status` counts, and
 * its path names the block (RING_BLOCK_HINT) unless it stands in a macro body, on a preprocessor line.
 */
function mayMentionStatus(text: string): boolean {
  if (UNAMBIGUOUS_AT_WORD_START.test(text)) return true;
  let blockStatus = false;
  for (const needle of LOOK_ALIKE_NEEDLES) {
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
      if (!startsWord(text, at)) continue;
      blockStatus = true;
      PREPROCESSOR_LINE.lastIndex = logicalLineStart(text, at);
      if (PREPROCESSOR_LINE.test(text)) return true;
    }
  }
  return blockStatus && RING_BLOCK_HINT.test(text);
}

const NEEDLES = [...FRONT_ENDS.keys()].flatMap((language) => language.vocabulary.needles);
/** `tp_status` or a TP_STATUS_ name starting a word: the status word wherever it stands. */
const UNAMBIGUOUS_AT_WORD_START = new RegExp(`(?<![A-Za-z0-9_])(?:${[...new Set(NEEDLES.filter((needle) => needle.unambiguous).map((needle) => needle.text))].join('|')})`);
/** `block_status`: many unrelated structs have one. */
const LOOK_ALIKE_NEEDLES = [...new Set(NEEDLES.filter((needle) => !needle.unambiguous).map((needle) => needle.text))];

function startsWord(text: string, at: number): boolean {
  return at === 0 || !/[A-Za-z0-9_]/.test(text[at - 1]!);
}

const PREPROCESSOR_LINE = /[ \t]*#/y;

/** Where the line holding `at` begins, lines continued with a backslash taken as one. */
function logicalLineStart(text: string, at: number): number {
  let start = text.lastIndexOf('\n', at - 1) + 1;
  const continues = (lineEnd: number): boolean => text[lineEnd - 1] === '\\' || (text[lineEnd - 1] === '\r' && text[lineEnd - 2] === '\\');
  while (start > 0 && continues(start - 1)) start = text.lastIndexOf('\n', start - 2) + 1;
  return start;
}

/** A field, a TP_STATUS_* name, or a macro body (kept as text by tree-sitter); not a comment or a string. */
function mentionsStatus(node: SyntaxNode, vocabulary: StatusVocabulary): boolean {
  switch (node.type) {
    case 'field_identifier':
      if (vocabulary.frameFields.includes(node.text)) return true;
      return vocabulary.blockFields.includes(node.text) && node.parent !== null && isRingBlockPath(node.parent);
    case 'identifier':
      return node.text.startsWith(vocabulary.constantPrefix);
    case 'preproc_arg':
      return true;
    default:
      return false;
  }
}
