/**
 * `ringlint.config.json`: found next to the scanned root or in the working directory, or named with
 * `--config`. JSON only, validated against the shipped schema: configuration is data, and nothing
 * from a scanned repository is ever executed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type AjvModule from 'ajv';
import type { RuleId } from '../model/finding.js';
import { packagePath } from '../package-root.js';

export const CONFIG_FILE_NAME = 'ringlint.config.json';

export type RuleSetting = 'off' | 'warning' | 'error';

export interface RinglintConfig {
  include?: string[];
  exclude?: string[];
  rules?: Partial<Record<RuleId, RuleSetting>>;
  baseline?: string;
  check?: CheckSettings;
}

/** Defaults for `ringlint check`'s options of the same names (the command line wins). */
export interface CheckSettings {
  packets?: number;
  rate?: number;
  seed?: number;
  vlanEvery?: number;
  producers?: number;
  delayUs?: [number, number];
  inProgress?: 'undefined-bit' | 'losing';
  stallMs?: number;
  startTimeout?: number;
  grace?: number;
}

export interface LoadedConfig {
  config: RinglintConfig;
  /** The config file's absolute path; globs and the baseline path are relative to its directory. */
  path: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The explicit `--config` file, else the first `ringlint.config.json` among `candidateDirectories`
 * (the scanned root first, then the working directory); undefined when there is none.
 */
export async function loadConfig(explicit: string | undefined, candidateDirectories: readonly string[]): Promise<LoadedConfig | undefined> {
  if (explicit !== undefined) return readConfig(resolve(explicit));
  const found = configFilesLookedAt(undefined, candidateDirectories).find(isFile);
  return found === undefined ? undefined : readConfig(found);
}

/** The directories a config is looked up in: a single scanned directory, then the working directory. */
export function configDirectoriesFor(paths: readonly string[], cwd: string): string[] {
  const directories: string[] = [];
  if (paths.length === 1) {
    const root = resolve(cwd, paths[0]!); // length checked
    if (existsSync(root) && statSync(root).isDirectory()) directories.push(root);
  }
  directories.push(cwd);
  return directories;
}

/** The paths loadConfig looks at, in order; the last is the one it reads when it exists. */
export function configFilesLookedAt(explicit: string | undefined, candidateDirectories: readonly string[]): string[] {
  if (explicit !== undefined) return [resolve(explicit)];
  const candidates = candidateDirectories.map((directory) => join(directory, CONFIG_FILE_NAME));
  const found = candidates.findIndex(isFile);
  return found < 0 ? candidates : candidates.slice(0, found + 1);
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

async function readConfig(path: string): Promise<LoadedConfig> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read config ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const validate = await configValidator();
  if (!validate(parsed)) {
    const problems = (validate.errors ?? []).map((error) => `${error.instancePath || '(top level)'} ${error.message ?? 'is invalid'}`);
    throw new ConfigError(`invalid config ${path}: ${problems.join('; ')}`);
  }
  return { config: parsed as RinglintConfig, path };
}

type Validator = ReturnType<InstanceType<typeof AjvModule.default>['compile']>;
let compiled: Validator | undefined;

/** ajv is loaded only when there is a config to check: most scans have none, and it costs start-up time. */
async function configValidator(): Promise<Validator> {
  if (compiled) return compiled;
  // ajv is CommonJS: under NodeNext its class is the module's `default` property.
  const { default: ajvModule } = await import('ajv');
  compiled = new ajvModule.default({ allErrors: true }).compile(JSON.parse(readFileSync(configSchemaPath(), 'utf8')) as object);
  return compiled;
}

/** The schema ships in the package's src/config, where editors find it too. */
export function configSchemaPath(): string {
  return packagePath('src', 'config', 'ringlint.config.schema.json');
}
