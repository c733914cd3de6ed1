/**
 * What the C family's shared analysis (program.ts, evaluator.ts) needs of one language whose
 * grammar extends tree-sitter-c's: its row, its parser, and what its code means beyond C's. The
 * shared code reads the extended grammar's node types itself (they never occur in C trees); what a
 * language's libraries and conventions mean (std::atomic's member functions, its headers) comes from
 * here. C's is the base.
 */
import type { FrontEnd, Language, SourceUnit } from '../languages/language.js';
import type { Tree } from './parser.js';

export interface CFamilySyntax extends FrontEnd {
  language: Language;
  parse(text: string): Tree;
  /** Files whose macros no other file sees (translation units, not headers). */
  translationUnitExtensions: readonly string[];
  /** Calls through an object (`r.f()`, `p->f()`) call member functions (in C they call through function pointers, not followed). */
  memberFunctions: boolean;
  /** Member functions that load, and store, the word they are called on (`std::atomic<T>::load`, `std::atomic_ref<T>::store`). */
  memberLoads: ReadonlySet<string>;
  memberStores: ReadonlySet<string>;
  /** Calls that return their argument as a view of the same word (`std::atomic_ref<uint32_t>(h->tp_status)`, `std::bit_cast`). */
  views: ReadonlySet<string>;
  /** Calls that wait for the kernel, besides C's (poll, usleep, sched_yield, …). */
  waitCalls: ReadonlySet<string>;
  /**
   * Whether this language claims a C unit (`.h` is C's by name): a header whose C parse fails where
   * this language's does not, or that only this language's files include.
   */
  claimsUnit?(unit: ClaimedUnit): boolean;
}

export interface ClaimedUnit extends Pick<SourceUnit, 'path' | 'text'> {
  /** The parse C gives it (parsed on the first call). */
  cTree(): Tree;
  /** The languages of the analysed units that include it by quoted path. */
  includedBy: readonly Language[];
}
