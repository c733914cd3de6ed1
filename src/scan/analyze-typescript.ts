/**
 * The scan's door to the TypeScript analyzer. It is imported only when a scan has TS/JS files, so
 * C-only scans never load ts-morph. Should the analyzer throw, each file is retried alone and the
 * culprits become error entries, as for C.
 */
import type { FileError, Finding } from '../model/finding.js';
// Type-only imports: erased from the compiled module, so they load nothing.
import type { TsAnalysisWithInputs, TsSourceFile } from '../ts/analyze.js';

export type TsScanFile = TsSourceFile;

export async function analyzeTypeScriptIsolatingFailures(files: TsScanFile[]): Promise<TsAnalysisWithInputs> {
  let analyzeTypeScript: typeof import('../ts/analyze.js').analyzeTypeScript;
  const inputs: TsAnalysisWithInputs['inputs'] = { loaded: new Map(), configFiles: [] };
  try {
    ({ analyzeTypeScript } = await import('../ts/analyze.js'));
  } catch (error) {
    const reason = `TypeScript analyzer unavailable (${describe(error)}); not analysed`;
    return { findings: [], errors: files.map((file) => ({ file: file.path, message: reason })), inputs };
  }
  try {
    return analyzeTypeScript(files);
  } catch {
    // Fall through: find out which file is responsible.
  }
  const findings: Finding[] = [];
  const errors: FileError[] = [];
  const configFiles = new Set<string>();
  for (const file of files) {
    try {
      const outcome = analyzeTypeScript([file]);
      findings.push(...outcome.findings);
      errors.push(...outcome.errors);
      outcome.inputs.loaded.forEach((text, path) => inputs.loaded.set(path, text));
      outcome.inputs.configFiles.forEach((path) => configFiles.add(path));
    } catch (error) {
      errors.push({ file: file.path, message: `internal error while analysing: ${describe(error)}` });
    }
  }
  return { findings, errors, inputs: { ...inputs, configFiles: [...configFiles] } };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
