/**
 * The analysis of the C family (C, and the languages whose tree-sitter grammar extends C's): one
 * program of every unit, whatever its language, so a C header's macros and helpers serve C++
 * callers. Each unit is parsed with its own language's grammar.
 */
import type { Analysis, Language, SourceUnit } from '../languages/language.js';
import { analyzeC, type CSourceUnit } from './analyze.js';
import type { CFamilySyntax } from './syntax.js';

export async function cFamilyAnalysis(languages: ReadonlyArray<Language<CFamilySyntax>>): Promise<Analysis> {
  const syntaxes = new Map<Language, CFamilySyntax>(await Promise.all(languages.map(async (language) => [language, await language.frontEnd()] as const)));
  // The same unit object each time: a scan's rounds analyse the same units again, parsed once.
  const units = new WeakMap<SourceUnit, CSourceUnit>();
  const unitOf = (unit: SourceUnit): CSourceUnit => {
    let converted = units.get(unit);
    if (!converted) {
      converted = { path: unit.path, text: unit.text, rowBase: unit.rowBase, syntax: syntaxes.get(unit.language) };
      units.set(unit, converted);
    }
    return converted;
  };
  return {
    analyze: (sources, onUnitIndexed) => analyzeC(sources.map(unitOf), onUnitIndexed),
    analyzeLinted: (unit) => analyzeC([unitOf(unit)]),
  };
}
