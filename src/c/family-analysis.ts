/**
 * The analysis of the C family (C, and the languages whose tree-sitter grammar extends C's): one
 * program of every unit, whatever its language, so a C header's macros and helpers serve C++
 * callers. Each unit is parsed with its own language's grammar; a C unit another language claims
 * (a C++ header named `.h`: cpp/header-language.ts) with that language's.
 */
import type { Analysis, Language, SourceUnit } from '../languages/language.js';
import { analyzeC, type CSourceUnit } from './analyze.js';
import { parseSource, quotedIncludePaths, type ParsedSource } from './program.js';
import type { Tree } from './parser.js';
import type { CFamilySyntax } from './family-syntax.js';

export async function cFamilyAnalysis(languages: ReadonlyArray<Language<CFamilySyntax>>): Promise<Analysis> {
  const syntaxes = new Map<Language, CFamilySyntax>(await Promise.all(languages.map(async (language) => [language, await language.frontEnd()] as const)));
  const claimants = [...syntaxes.values()].filter((syntax) => syntax.claimsUnit);
  // The same unit object for the same unit and grammar: a scan's rounds analyse the same units
  // again, and each is parsed once.
  const converted = new WeakMap<SourceUnit, CSourceUnit>();
  // Texts parsed while a scan's walk went on, by grammar; each is taken by the first unit that holds it.
  const parsedAhead = new Map<CFamilySyntax, Map<string, ParsedSource>>();
  const unitsOf = (sources: readonly SourceUnit[]): CSourceUnit[] => {
    const includers = includersOf(sources);
    return sources.map((source) => {
      const own = syntaxes.get(source.language)!; // every language of the family is loaded
      const syntax = source.rowBase === undefined ? claimed(source, own, includers.get(source.path) ?? []) : own;
      let unit = converted.get(source);
      if (unit?.syntax !== syntax) {
        unit = { path: source.path, text: source.text, rowBase: source.rowBase, syntax, parsed: parsedAhead.get(syntax)?.get(source.text) };
        parsedAhead.get(syntax)?.delete(source.text);
        converted.set(source, unit);
      }
      return unit;
    });
  };
  const ownTrees = new WeakMap<SourceUnit, Tree>();
  const claimed = (source: SourceUnit, own: CFamilySyntax, includedBy: readonly Language[]): CFamilySyntax => {
    if (own.claimsUnit) return own;
    const ownTree = (): Tree => {
      let tree = ownTrees.get(source);
      if (!tree) ownTrees.set(source, (tree = own.parse(source.text)));
      return tree;
    };
    for (const claimant of claimants) {
      if (claimant.claimsUnit!({ path: source.path, text: source.text, cTree: ownTree, includedBy })) return claimant; // claimants have it
    }
    return own;
  };
  return {
    prepare(text, language) {
      // With its own grammar: the one most units keep (a claim needs the includers, known later).
      const syntax = syntaxes.get(language)!; // every language of the family is loaded
      const ahead = parsedAhead.get(syntax) ?? new Map<string, ParsedSource>();
      parsedAhead.set(syntax, ahead);
      if (!ahead.has(text)) ahead.set(text, parseSource(text, syntax));
    },
    analyze: (sources, onUnitIndexed) => analyzeC(unitsOf(sources), onUnitIndexed),
    analyzeLinted: (unit) => analyzeC(unitsOf([unit])),
  };
}

/** Display path → the languages of the units that include it by quoted path (resolved beside the includer, as the preprocessor tries first). */
function includersOf(sources: readonly SourceUnit[]): Map<string, Language[]> {
  const paths = new Set(sources.map((source) => source.path));
  const includers = new Map<string, Language[]>();
  for (const source of sources) {
    if (source.rowBase !== undefined) continue; // a document's block includes nothing of the tree
    for (const path of quotedIncludePaths(source.path, source.text)) {
      if (!paths.has(path)) continue;
      const languages = includers.get(path) ?? [];
      if (!languages.includes(source.language)) languages.push(source.language);
      includers.set(path, languages);
    }
  }
  return includers;
}
