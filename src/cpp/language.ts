/**
 * C++'s row in the language table (src/languages/table.ts). C++ is analysed with C, by the same
 * program and evaluator (tree-sitter-cpp's grammar extends tree-sitter-c's); what is C++'s own
 * (member functions, std::atomic, casts, its headers) is in this folder.
 */
import { C_DIALECT, C_FAMILY_ANALYSIS } from '../c/language.js';
import type { CFamilySyntax } from '../c/family-syntax.js';
import type { Language } from '../languages/language.js';
import type { MessageDialect } from '../model/finding-messages.js';
import { C_VOCABULARY } from '../model/status-vocabulary.js';

/** C's words, with C++'s fixes. */
const CPP_DIALECT: MessageDialect = {
  ...C_DIALECT,
  // std::atomic_ref<…>(word).load(…) for a plain word, .load(…) for a std::atomic one.
  acquireFix: 'use .load(std::memory_order_acquire)',
  releaseFix: 'use .store(TP_STATUS_KERNEL, std::memory_order_release)',
};

export const CPP_TRANSLATION_UNIT_EXTENSIONS: readonly string[] = ['.cc', '.cpp', '.cxx'];

export const CPP_LANGUAGE: Language<CFamilySyntax> = {
  id: 'cpp',
  name: 'C++',
  // `.h` is C's, unless C++ claims it (header-language.ts).
  extensions: [...CPP_TRANSLATION_UNIT_EXTENSIONS, '.hpp', '.hh', '.hxx'],
  fenceLabels: ['cpp', 'c++', 'cc', 'cxx', 'hpp', 'hh', 'hxx'],
  vocabulary: C_VOCABULARY,
  dialect: CPP_DIALECT,
  selection: 'needles',
  cliFixes: true,
  eslintConfig: 'c',
  analysis: C_FAMILY_ANALYSIS,
  // Node's module cache makes it one object.
  frontEnd: () => import('./syntax.js').then((module) => module.CPP_SYNTAX),
};
