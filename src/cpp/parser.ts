import { loadGrammarParser } from '../tree-sitter/grammar-parser.js';
import type { Tree } from '../c/parser.js';

/** One parser per thread (each worker loads this module anew): tree-sitter parsers are not reentrant. */
const shared = await loadGrammarParser('cpp');

/** Parses C++ text with tree-sitter-cpp, whose grammar extends tree-sitter-c's: the C family's analysis reads both. */
export function parseCpp(text: string): Tree {
  return shared.parse(text);
}
