/**
 * The analyses of a scan's units, one per kind of analysis of the language table (C and C++ share
 * one), each loaded on first use: a scan answered from the cache needs none, a C scan no TypeScript.
 * An analysis runs again only when a prefilter round brought it units; it is loaded once per scan, so
 * that what it keeps of a unit (its parse) serves every round.
 */
import { mergedInputs, type Analysis, type AnalysisKind, type AnalysisOutcome, type Language, type SourceUnit } from '../languages/language.js';
import { LANGUAGES } from '../languages/table.js';
import { analyzeIsolatingFailures, describeError } from './analyze-isolated.js';
import type { ScanProgress } from './run-scan.js';

export class Analyses {
  private readonly lastRun = new Map<AnalysisKind, { units: number; outcome: AnalysisOutcome }>();
  private readonly loaded = new Map<AnalysisKind, Promise<Analysis>>();

  private load(kind: AnalysisKind): Promise<Analysis> {
    let analysis = this.loaded.get(kind);
    if (!analysis) this.loaded.set(kind, (analysis = kind.load(LANGUAGES.filter((language) => language.analysis === kind))));
    return analysis;
  }

  /** Has `language`'s analysis parse `text` now (while the walk goes on), for the unit that will hold it. */
  async prepare(text: string, language: Language): Promise<void> {
    (await this.load(language.analysis)).prepare?.(text, language);
  }

  async run(units: readonly SourceUnit[], progress: (progress: ScanProgress) => void): Promise<AnalysisOutcome> {
    const merged: AnalysisOutcome & Required<Pick<AnalysisOutcome, 'reach'>> = { findings: [], errors: [], reach: { exportedCarriers: [], unresolvedStatusCallees: [] } };
    for (const kind of new Set(LANGUAGES.map((language) => language.analysis))) {
      const own = units.filter((unit) => unit.language.analysis === kind);
      if (own.length === 0) continue;
      let done = this.lastRun.get(kind);
      if (done?.units !== own.length) {
        done = { units: own.length, outcome: await analyzeWith(kind, this.load(kind), own, progress) };
        this.lastRun.set(kind, done);
      }
      merged.findings.push(...done.outcome.findings);
      merged.errors.push(...done.outcome.errors);
      merged.reach.exportedCarriers.push(...(done.outcome.reach?.exportedCarriers ?? []));
      merged.reach.unresolvedStatusCallees.push(...(done.outcome.reach?.unresolvedStatusCallees ?? []));
      merged.inputs = mergedInputs(merged.inputs, done.outcome.inputs);
    }
    return merged;
  }
}

async function analyzeWith(
  kind: AnalysisKind, loading: Promise<Analysis>, units: readonly SourceUnit[], progress: (progress: ScanProgress) => void,
): Promise<AnalysisOutcome> {
  const total = units.length;
  progress({ phase: 'analysing', done: 0, total });
  let analysis: Analysis;
  try {
    analysis = await loading;
  } catch (error) {
    const reason = `${kind.name} analyzer unavailable (${describeError(error)}); not analysed`;
    return { findings: [], errors: [...new Set(units.map((unit) => unit.path))].map((file) => ({ file, message: reason })) };
  }
  return analyzeIsolatingFailures(units, (batch, onUnitIndexed) => analysis.analyze(batch, onUnitIndexed), (indexed) => progress({ phase: 'analysing', done: indexed, total }));
}

