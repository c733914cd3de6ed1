/**
 * What the C family's shared analysis (program.ts, evaluator.ts) needs of one language whose
 * grammar extends tree-sitter-c's: its row, its parser, and the syntax C does not have. C's is the base.
 */
import type { FrontEnd, Language } from '../languages/language.js';
import { C_LANGUAGE } from './language.js';
import { parseC, type Tree } from './parser.js';
import { parseAhead } from './program.js';

export interface CFamilySyntax extends FrontEnd {
  language: Language;
  parse(text: string): Tree;
}

export const C_SYNTAX: CFamilySyntax = {
  language: C_LANGUAGE,
  parse: parseC,
  prepare(text) {
    parseAhead(text, this);
  },
};
