/**
 * C's row in the language table (src/languages/table.ts). C and C++ share one analysis: their units
 * are indexed together, so a C header's macros and helpers serve C++ callers.
 */
import type { AnalysisKind, Language } from '../languages/language.js';
import type { MessageDialect } from '../model/finding-messages.js';
import { C_VOCABULARY } from '../model/status-vocabulary.js';
import type { CFamilySyntax } from './family-syntax.js';

/** Files whose macros no other file sees: the C family's translation units, as opposed to headers. */
export const C_TRANSLATION_UNIT_EXTENSIONS: readonly string[] = ['.c'];

export const C_DIALECT: MessageDialect = {
  blockWord: 'block_status',
  unorderedRead: 'without acquire ordering',
  acquireFix: 'use __atomic_load_n(…, __ATOMIC_ACQUIRE)',
  unorderedStore: 'without release ordering',
  releaseFix: 'use __atomic_store_n(…, __ATOMIC_RELEASE)',
};

/** The tree-sitter analysis of C and the languages whose grammar extends C's. */
export const C_FAMILY_ANALYSIS: AnalysisKind = {
  name: 'C family',
  async load(languages) {
    const { cFamilyAnalysis } = await import('./family-analysis.js');
    return cFamilyAnalysis(languages as ReadonlyArray<Language<CFamilySyntax>>);
  },
};

export const C_LANGUAGE: Language<CFamilySyntax> = {
  id: 'c',
  name: 'C',
  // A header is C for C includers; the C++ row claims the others (src/cpp/header-language.ts).
  extensions: [...C_TRANSLATION_UNIT_EXTENSIONS, '.h'],
  // Unlabelled blocks are C: READMEs leave C unlabelled more often than anything else.
  fenceLabels: ['', 'c', 'h'],
  vocabulary: C_VOCABULARY,
  dialect: C_DIALECT,
  selection: 'needles',
  cliFixes: true,
  eslintConfig: 'c',
  analysis: C_FAMILY_ANALYSIS,
  // Node's module cache makes it one object.
  frontEnd: () => import('./syntax.js').then((module) => module.C_SYNTAX),
};
