import { loadGrammarParser } from '../tree-sitter/grammar-parser.js';

/**
 * Parses C++ text with tree-sitter-cpp, whose grammar extends tree-sitter-c's: the C family's
 * analysis reads both. One parser per thread (each worker loads this module anew): tree-sitter
 * parsers are not reentrant.
 */
export const { parse: parseCpp } = await loadGrammarParser('cpp');
