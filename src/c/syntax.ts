/** C as the C family's shared analysis reads it (family-syntax.ts): the base the others extend. */
import type { CFamilySyntax } from './family-syntax.js';
import { C_LANGUAGE, C_TRANSLATION_UNIT_EXTENSIONS } from './language.js';
import { parseC } from './parser.js';

const NONE: ReadonlySet<string> = new Set();

export const C_SYNTAX: CFamilySyntax = {
  language: C_LANGUAGE,
  parse: parseC,
  translationUnitExtensions: C_TRANSLATION_UNIT_EXTENSIONS,
  memberFunctions: false,
  memberLoads: NONE,
  memberStores: NONE,
  views: NONE,
  waitCalls: NONE,
};
