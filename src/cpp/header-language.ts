/**
 * Which `.h` files are C++. A `.h` is C's by name, and read as C for C includers. C++ claims it
 * when only C++ files include it (by quoted path, among the files analysed), or, when nothing
 * analysed includes it, when C++ constructs make tree-sitter-c fail where tree-sitter-cpp does
 * better (a class, a template, a namespace). C and C++ trees share their node types for C code, so
 * a C header read as C++ is analysed alike; the choice matters for the C++ in it.
 */
import type { ClaimedUnit } from '../c/family-syntax.js';
import { syntaxErrorCount } from '../tree-sitter/syntax-errors.js';
import { CPP_LANGUAGE } from './language.js';
import { parseCpp } from './parser.js';

export function claimsHeader(unit: ClaimedUnit): boolean {
  if (!unit.path.toLowerCase().endsWith('.h')) return false;
  if (unit.includedBy.length > 0) return unit.includedBy.every((language) => language === CPP_LANGUAGE);
  const cRoot = unit.cTree().rootNode;
  if (!cRoot.hasError) return false;
  return syntaxErrorCount(parseCpp(unit.text).rootNode) < syntaxErrorCount(cRoot);
}
