/**
 * C++ as the C family's shared analysis reads it (src/c/family-syntax.ts): tree-sitter-cpp's trees, whose
 * C++ node types (member functions, qualified names, condition clauses, lambdas, casts) the shared
 * program and evaluator read themselves; here, what C++'s library means for a ring's status word.
 */
import type { CFamilySyntax } from '../c/family-syntax.js';
import { claimsHeader } from './header-language.js';
import { CPP_LANGUAGE, CPP_TRANSLATION_UNIT_EXTENSIONS } from './language.js';
import { parseCpp } from './parser.js';

export const CPP_SYNTAX: CFamilySyntax = {
  language: CPP_LANGUAGE,
  parse: parseCpp,
  translationUnitExtensions: CPP_TRANSLATION_UNIT_EXTENSIONS,
  memberFunctions: true,
  // std::atomic<T> and std::atomic_ref<T>: without an order argument, sequentially consistent.
  memberLoads: new Set(['load']),
  memberStores: new Set(['store']),
  views: new Set(['atomic_ref', 'bit_cast']),
  // std::this_thread's; a condition variable's waits are for another thread, not the kernel.
  waitCalls: new Set(['sleep_for', 'sleep_until', 'yield']),
  claimsUnit: claimsHeader,
};
