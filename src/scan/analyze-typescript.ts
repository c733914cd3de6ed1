/**
 * The scan's door to the TypeScript analyzer. It is imported only when a scan has TS/JS files, so
 * C-only scans never load ts-morph. Should the analyzer throw, each file is retried alone and the
 * culprits become error entries, as for C.
 */
import type { FileError, Finding } from '../model/finding.js';
// A type-only import: erased from the compiled module, so it loads nothing.
import type { TsSourceFile } from '../ts/analyze.js';

export type TsScanFile = TsSourceFile;

export async function analyzeTypeScriptIsolatingFailures(files: TsScanFile[]): Promise<{ findings: Finding[]; errors: FileError[] }> {
  let analyzeTypeScript: typeof import('../ts/analyze.js').analyzeTypeScript;
  try {
    ({ analyzeTypeScript } = await import('../ts/analyze.js'));
  } catch (error) {
    const reason = `TypeScript analyzer unavailable (${describe(error)}); not analysed`;
    return { findings: [], errors: files.map((file) => ({ file: file.path, message: reason })) };
  }
  try {
    return analyzeTypeScript(files);
  } catch {
    // Fall through: find out which file is responsible.
  }
  const findings: Finding[] = [];
  const errors: FileError[] = [];
  for (const file of files) {
    try {
      const outcome = analyzeTypeScript([file]);
      findings.push(...outcome.findings);
      errors.push(...outcome.errors);
    } catch (error) {
      errors.push({ file: file.path, message: `internal error while analysing: ${describe(error)}` });
    }
  }
  return { findings, errors };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
