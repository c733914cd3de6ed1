/**
 * The config and baseline a scan or review run applies to its findings, loaded before the scan (a
 * config that cannot be read ends the run before any work).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { configuredBaselinePath, readBaseline, type Baseline } from '../baseline/baseline-file.js';
import { loadConfig } from '../config/config-file.js';
import type { FindingPolicy } from '../policy/finding-policy.js';
import type { LintCliOptions } from './lint-options.js';

export interface PolicyInputs extends FindingPolicy {
  /** Said on standard error before the report (made visible: they name files), e.g. a config-named baseline that does not exist yet. */
  warnings: string[];
}

/** The config (explicit, else the first found in `configDirectories`) and the baseline it or the options name. */
export async function loadPolicyInputs(options: LintCliOptions, cwd: string, configDirectories: readonly string[]): Promise<PolicyInputs> {
  const explicitConfig = options.config === undefined ? undefined : resolve(cwd, options.config);
  const config = await loadConfig(explicitConfig, configDirectories);
  const warnings: string[] = [];
  let baseline: Baseline | undefined;
  const configured = config ? configuredBaselinePath(config) : undefined;
  if (options.baseline !== undefined) {
    baseline = await readBaseline(resolve(cwd, options.baseline));
  } else if (config && configured !== undefined) {
    if (existsSync(configured)) baseline = await readBaseline(configured);
    else warnings.push(`the baseline ${configured} named in ${config.path} does not exist; nothing is hidden`);
  }
  return { config, baseline, warnings };
}
