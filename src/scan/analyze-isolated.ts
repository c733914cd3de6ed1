import { mergedInputs, type AnalysisOutcome } from '../languages/language.js';
import type { FileError } from '../model/finding.js';

export type { AnalysisOutcome };

type Analyzer<Unit> = (units: Unit[], onUnitIndexed?: (indexed: number) => void) => AnalysisOutcome;

/**
 * Runs the analyzer over all units at once, since macro and helper summaries cross files. Should it
 * throw, each file is tried alone to find the culprits, which become error entries; the rest are
 * then analysed together again so one bad file costs only its own findings.
 */
export function analyzeIsolatingFailures<Unit extends { path: string }>(
  units: readonly Unit[], analyze: Analyzer<Unit>, onUnitIndexed?: (indexed: number) => void,
): AnalysisOutcome {
  try {
    return analyze([...units], onUnitIndexed);
  } catch {
    // Fall through: find out which file is responsible.
  }
  const unitsByFile = new Map<string, Unit[]>();
  for (const unit of units) unitsByFile.set(unit.path, [...(unitsByFile.get(unit.path) ?? []), unit]);
  const failed: FileError[] = [];
  const perFile: AnalysisOutcome = { findings: [], errors: [] };
  for (const [file, fileUnits] of unitsByFile) {
    try {
      const outcome = analyze(fileUnits);
      perFile.findings.push(...outcome.findings);
      perFile.errors.push(...outcome.errors);
      perFile.inputs = mergedInputs(perFile.inputs, outcome.inputs);
    } catch (error) {
      failed.push({ file, message: `internal error while analysing: ${describeError(error)}` });
    }
  }
  const healthy = units.filter((unit) => !failed.some((failure) => failure.file === unit.path));
  try {
    const together = failed.length > 0 ? analyze(healthy) : perFile;
    return { findings: together.findings, errors: [...together.errors, ...failed], ...withInputs(mergedInputs(together.inputs, perFile.inputs)) };
  } catch {
    // The failure needs several files together; per-file results are the best there is.
    return { findings: perFile.findings, errors: [...perFile.errors, ...failed], ...withInputs(perFile.inputs) };
  }
}

function withInputs(inputs: AnalysisOutcome['inputs']): Pick<AnalysisOutcome, 'inputs'> {
  return inputs ? { inputs } : {};
}

/** An analyzer's failure, for a file's error entry. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
