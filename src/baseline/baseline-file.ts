/**
 * The baseline file: findings a project has accepted for now, by fingerprint. Line and message are
 * kept for people reading the file and for stale-entry reports; matching uses the fingerprint only.
 */
import { readFile } from 'node:fs/promises';
import type { Finding, RuleId } from '../model/finding.js';
import { RULES } from '../rules/catalog.js';
import { FINGERPRINT_VERSION } from './fingerprint.js';

export const DEFAULT_BASELINE_FILE = 'ringlint-baseline.json';
const BASELINE_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  ruleId: RuleId;
  file: string;
  line: number;
  message: string;
}

export interface Baseline {
  version: number;
  fingerprintVersion: string;
  entries: BaselineEntry[];
}

export interface BaselineMatch {
  kept: Finding[];
  hidden: Finding[];
  /** Entries whose finding is gone: fixed, or changed beyond recognition. */
  stale: BaselineEntry[];
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

export function formatBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

export async function readBaseline(path: string): Promise<Baseline> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new BaselineError(`cannot read baseline ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isBaseline(parsed)) throw new BaselineError(`${path} is not a ringlint baseline (expected {"version": 1, "entries": [...]})`);
  if (parsed.version !== BASELINE_VERSION || parsed.fingerprintVersion !== FINGERPRINT_VERSION) {
    throw new BaselineError(`${path} was written by an incompatible ringlint (baseline version ${parsed.version}); run \`ringlint baseline\` again`);
  }
  return parsed;
}

export function matchBaseline(findings: readonly Finding[], fingerprints: ReadonlyMap<Finding, string>, baseline: Baseline): BaselineMatch {
  const recorded = new Set(baseline.entries.map((entry) => entry.fingerprint));
  const present = new Set<string>();
  const match: BaselineMatch = { kept: [], hidden: [], stale: [] };
  for (const finding of findings) {
    const fingerprint = fingerprints.get(finding);
    if (fingerprint !== undefined && recorded.has(fingerprint)) {
      present.add(fingerprint);
      match.hidden.push(finding);
    } else {
      match.kept.push(finding);
    }
  }
  match.stale = baseline.entries.filter((entry) => !present.has(entry.fingerprint));
  return match;
}

const KNOWN_RULES: ReadonlySet<string> = new Set(RULES.map((rule) => rule.id));

function isBaseline(value: unknown): value is Baseline {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { version?: unknown; fingerprintVersion?: unknown; entries?: unknown };
  return (
    typeof candidate.version === 'number' &&
    typeof candidate.fingerprintVersion === 'string' &&
    Array.isArray(candidate.entries) &&
    candidate.entries.every(
      (entry: unknown) =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof (entry as BaselineEntry).fingerprint === 'string' &&
        KNOWN_RULES.has((entry as BaselineEntry).ruleId) &&
        typeof (entry as BaselineEntry).file === 'string' &&
        typeof (entry as BaselineEntry).line === 'number',
    )
  );
}
