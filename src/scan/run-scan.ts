import { resolve } from 'node:path';
import { analyzerFingerprint } from '../cache/analyzer-fingerprint.js';
import type { EarlyStampCheck } from '../cache/early-stamp-check.js';
import { ScanCache, type CachedScan } from '../cache/scan-cache.js';
import { compilerLineEnds } from '../files/line-ends.js';
import { readTextQuietly } from '../files/read-source.js';
import { realPathOrNull } from '../files/real-path.js';
import type { ScanReport } from '../model/finding.js';
import type { PrestartedWalk } from '../native/ringscan.js';
import { mentionsSuppression } from '../suppressions/inline-suppressions.js';
import { DEFAULT_MAX_FILE_SIZE } from './max-file-size.js';

export { DEFAULT_MAX_FILE_SIZE };

export interface ScanOptions {
  /** Files and directories, relative to `cwd`; none means `.`. */
  paths: string[];
  cwd?: string;
  /** Bytes; larger files are not parsed. */
  maxFileSize?: number;
  /** Parse every file instead of only those whose bytes can matter (audits; same findings). */
  noPrefilter?: boolean;
  /** Walk everything, whatever .gitignore files say. */
  noIgnore?: boolean;
  /** Told how far the scan is; called often, so it must be cheap. */
  onProgress?: (progress: ScanProgress) => void;
  /** Where to keep the scan cache; none: no cache. */
  cacheDirectory?: string;
  /** Work started for this scan before it was asked for (cli/prestart.ts); the scan uses each piece at most once. */
  prestart?: Prestart;
}

/**
 * What a command line starts before the code that runs it has loaded: the cache's stamp check, for a
 * scan the cache is likely to answer, or else ringscan's walk of the first root.
 */
export interface Prestart {
  stampCheck?: EarlyStampCheck;
  walk?: PrestartedWalk;
}

export interface ScanProgress {
  phase: 'discovering' | 'prefiltering' | 'parsing' | 'reading' | 'analysing';
  done: number;
  total: number;
}

export interface ScanResult {
  report: ScanReport;
  /** The text of every analysed file by display path, for code frames without re-reading files. */
  sourceTexts: ReadonlyMap<string, string>;
}

/**
 * Scans files and directories for ownership tests. Throws only for tool errors (such as
 * `PathNotFoundError`); every problem with a single file becomes an entry in `errors`.
 */
export async function runScan(options: ScanOptions): Promise<ScanReport> {
  return (await scanSources(options)).report;
}

export async function scanSources(options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  // Wall-clock, to compare with file times: what changed since may have been read before the change.
  const startedAtNs = BigInt(Date.now()) * 1_000_000n;
  const cwd = resolve(options.cwd ?? process.cwd());
  const roots = options.paths.length > 0 ? options.paths : ['.'];
  const cache = options.cacheDirectory
    ? ScanCache.for(options.cacheDirectory, {
        cwd,
        roots,
        // A root that is a symbolic link names another tree once retargeted: stamps of the old one prove nothing.
        realRoots: roots.map((root) => realPathOrNull(resolve(cwd, root))),
        maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
        noPrefilter: options.noPrefilter ?? false,
        noIgnore: options.noIgnore ?? false,
      }, analyzerFingerprint(), options.prestart?.stampCheck)
    : undefined;
  try {
    const cached = await cache?.lookup();
    if (cached) return fromCache(cached, cwd, started);

    // Discovery, the prefilter and the analyzers load only now: a cache hit needs none of them.
    const { scanFresh } = await import('./fresh-scan.js');
    const { result, cacheInputs } = await scanFresh(options, cwd, roots, { started, startedAtNs });
    // Suppression comments are checked on a hit too (unused ones are reported): their files are read again.
    if (cache && cacheInputs) {
      const reread = [...result.sourceTexts].filter(([, text]) => mentionsSuppression(text)).map(([file]) => file);
      cache.store(cacheInputs, { report: result.report, reread });
    }
    return result;
  } finally {
    // A walk started in case the cache could not answer, and not taken by the discovery: not needed.
    options.prestart?.walk?.stop();
  }
}

/** The cached report; the texts of files with findings (and those it says to) are read again, for code frames and the policy. */
function fromCache({ report, reread }: CachedScan, cwd: string, started: number): ScanResult {
  const sourceTexts = new Map<string, string>();
  // Every file a finding points into, not only its own: review matches related locations against
  // changed lines, and fixes rewrite the macro or helper a decision goes through.
  const pointedInto = report.findings.flatMap((finding) => [
    finding.file,
    ...finding.related.map((related) => related.file),
    ...(finding.decisionShape ? [finding.decisionShape.test.file] : []),
  ]);
  for (const file of new Set([...pointedInto, ...reread])) {
    const text = readTextQuietly(resolve(cwd, file));
    // As the scan read it (files/read-source.ts), so that lines agree with the cached findings.
    if (text !== undefined) sourceTexts.set(file, compilerLineEnds(text));
  }
  return { report: { ...report, elapsedMs: Math.round(performance.now() - started) }, sourceTexts };
}

