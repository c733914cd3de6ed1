/**
 * The baseline file: findings a project has accepted for now, by fingerprint. Line and message are
 * kept for people reading the file and for stale-entry reports; matching uses the fingerprint only.
 */
import { realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { LoadedConfig } from '../config/config-file.js';
import { readSnapshot, removeDeadRunTemporaries, replaceFile } from '../files/atomic-write.js';
import { fsErrorReason, isFsError } from '../files/fs-error-reason.js';
import { isInsideDirectory } from '../files/path-inside.js';
import { readFailureReason, readRegularFileSync } from '../files/read-regular-file.js';
import type { Finding } from '../model/finding.js';
import { RULES } from '../rules/catalog.js';
import { FINGERPRINT_VERSION } from './fingerprint.js';

export const DEFAULT_BASELINE_FILE = 'ringlint-baseline.json';
const BASELINE_VERSION = 1;
/** A baseline of a million findings is ~250 MB; the bound is for a file that is no baseline (F9: /dev/zero). */
const MAX_BASELINE_BYTES = 512 * 1024 * 1024;

export type BaselineEntry = { fingerprint: string } & Pick<Finding, 'ruleId' | 'file' | 'line' | 'message'>;

export interface Baseline {
  version: number;
  fingerprintVersion: string;
  entries: BaselineEntry[];
}

export class BaselineError extends Error {
  override name = 'BaselineError';
}

export function createBaseline(findings: readonly Finding[], fingerprints: ReadonlyMap<Finding, string>): Baseline {
  const entries = findings.map((finding) => ({
    fingerprint: fingerprints.get(finding) ?? '',
    ruleId: finding.ruleId,
    file: finding.file,
    line: finding.line,
    message: finding.message,
  }));
  return { version: BASELINE_VERSION, fingerprintVersion: FINGERPRINT_VERSION, entries };
}

/** The baseline a config names, relative to the config file's directory; undefined when it names none. */
export function configuredBaselinePath(config: LoadedConfig): string | undefined {
  return config.config.baseline === undefined ? undefined : resolve(dirname(config.path), config.config.baseline);
}

/**
 * Refuses to write a config-named baseline outside the config file's directory tree, also when a
 * symbolic link on the way leads out: a config file comes with the repository, and a pull request
 * can change it (`"baseline": "../../.bashrc"`).
 */
export async function checkInsideConfigTree(path: string, config: LoadedConfig): Promise<void> {
  const tree = dirname(config.path);
  const named = JSON.stringify(config.config.baseline);
  if (!isInsideDirectory(path, tree)) {
    throw new BaselineError(`the baseline ${named} named in ${config.path} is outside that file's directory; not written`);
  }
  const [realTree, realParent] = await Promise.all([realpath(tree), realpath(dirname(path))]).catch(() => []);
  if (realTree !== undefined && realParent !== undefined && !isInsideDirectory(realParent, realTree)) {
    throw new BaselineError(`the baseline ${named} named in ${config.path} is outside that file's directory (through a symbolic link); not written`);
  }
}

/**
 * Writes a baseline as a temporary file renamed over the old one, which keeps its owner and mode. A
 * symbolic link in its place is refused, not followed: a committed `ringlint-baseline.json -> ../x`
 * must not make ringlint write outside the repository.
 */
export async function writeBaseline(path: string, baseline: Baseline): Promise<void> {
  try {
    const directory = await realpath(dirname(path));
    const target = join(directory, basename(path));
    await removeDeadRunTemporaries(directory);
    const original = await readSnapshot(target, false).catch((error: unknown) => {
      if (isFsError(error, 'ENOENT')) return undefined;
      throw error;
    });
    await replaceFile(target, Buffer.from(`${JSON.stringify(baseline, null, 2)}\n`), original);
  } catch (error) {
    throw new BaselineError(`not writing the baseline ${path}: ${fsErrorReason(error)}`);
  }
}

export async function readBaseline(path: string): Promise<Baseline> {
  let text: string;
  try {
    // A regular file only, never waiting on a FIFO or device, and bounded (F9: a FIFO hung the scan).
    text = readRegularFileSync(path, MAX_BASELINE_BYTES, { followLinks: true }).toString('utf8');
  } catch (error) {
    throw new BaselineError(`cannot read baseline ${path}: ${readFailureReason(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Said at its place, never in JSON.parse's words, which quote the file (F20). The JSONC parser
    // loads only here: baseline-file.ts is on the path of --version and of a cached scan.
    const problem = (await import('../config/config-text.js')).jsonSyntaxProblem(text);
    throw new BaselineError(`cannot read baseline ${path}: not JSON${problem ? ` (${problem.line}:${problem.column}: ${problem.message})` : ''}`);
  }
  if (!isBaseline(parsed)) throw new BaselineError(`${path} is not a ringlint baseline (expected {"version": 1, "entries": [...]})`);
  if (parsed.version !== BASELINE_VERSION || parsed.fingerprintVersion !== FINGERPRINT_VERSION) {
    throw new BaselineError(`${path} was written by an incompatible ringlint (baseline version ${parsed.version}); run \`ringlint baseline\` again`);
  }
  return parsed;
}

/** The findings the baseline does not hide, and its stale entries: those whose finding is gone (fixed, or changed beyond recognition). */
export function matchBaseline(findings: readonly Finding[], fingerprints: ReadonlyMap<Finding, string>, baseline: Baseline): { kept: Finding[]; stale: BaselineEntry[] } {
  const recorded = new Set(baseline.entries.map((entry) => entry.fingerprint));
  const present = new Set<string>();
  const kept = findings.filter((finding) => {
    const fingerprint = fingerprints.get(finding);
    if (fingerprint === undefined || !recorded.has(fingerprint)) return true;
    present.add(fingerprint);
    return false;
  });
  return { kept, stale: baseline.entries.filter((entry) => !present.has(entry.fingerprint)) };
}

const KNOWN_RULES: ReadonlySet<string> = new Set(RULES.map((rule) => rule.id));

/** Read through `?.`: a JSON value that is no object (null, a number, a string) has none of the fields. */
function isBaseline(value: unknown): value is Baseline {
  const candidate = value as Partial<Record<keyof Baseline, unknown>> | null;
  return (
    typeof candidate?.version === 'number' &&
    typeof candidate.fingerprintVersion === 'string' &&
    Array.isArray(candidate.entries) &&
    candidate.entries.every((value: unknown) => {
      const entry = value as Partial<Record<keyof BaselineEntry, unknown>> | null;
      return typeof entry?.fingerprint === 'string' && KNOWN_RULES.has(entry.ruleId as string) && typeof entry.file === 'string' && typeof entry.line === 'number';
    })
  );
}
