/**
 * `ringlint.config.json`: found next to the scanned root or in the working directory, or named with
 * `--config`. JSON with comments and trailing commas (JSONC), validated against the shipped schema:
 * configuration is data, and nothing from a scanned repository is ever executed. Each problem is
 * reported at its line and column with the key it is about and what is allowed there.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type AjvModule from 'ajv';
import { readFailureReason, readRegularFileSync } from '../files/read-regular-file.js';
import type { RuleId } from '../model/finding.js';
import { packagePath } from '../package-root.js';
import { visiblePath, visibleText } from '../reporters/terminal-text.js';
import type { ConfigProblem, SyntaxProblem } from './config-text.js';
import type { RuleSetting } from './rule-settings.js';

const CONFIG_FILE_NAME = 'ringlint.config.json';

export interface RinglintConfig {
  include?: string[];
  exclude?: string[];
  /** By rule id, whichever spelling of the rule and severity the file used. */
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
  const found = candidateDirectories.map((directory) => join(directory, CONFIG_FILE_NAME)).find((path) => existsSync(path) && statSync(path).isFile());
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

/** Far above any config a person writes; the bound is for a file that is none (`--config /dev/zero`). */
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

async function readConfig(path: string): Promise<LoadedConfig> {
  let text: string;
  try {
    // A regular file only, never waiting on a FIFO or reading a device without end (issue 15, item 3).
    text = readRegularFileSync(path, MAX_CONFIG_BYTES, { followLinks: true }).toString('utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config ${path}: ${readFailureReason(error)}`);
  }
  return { config: await parseConfig(text, displayName(path)), path };
}

/** The config `text` holds, normalised; a ConfigError listing every problem, each at its line and column, when it is not one. */
export async function parseConfig(text: string, name: string): Promise<RinglintConfig> {
  // Loaded when there is a config to read: most scans have none, and a cached scan should not pay for them.
  const { parseConfigText } = await import('./config-text.js');
  const { normaliseRuleSettings } = await import('./rule-settings.js');
  const { formatJsonPath, schemaProblems } = await import('./schema-problems.js');
  const parsed = parseConfigText(text);
  const invalid = (problems: SyntaxProblem[]): ConfigError =>
    new ConfigError(
      [`invalid config ${visibleText(name)}`, ...problems.map((problem) => `${visiblePath(name)}:${problem.line}:${problem.column}: ${visibleText(problem.message)}`)].join('\n'),
    );
  if ('syntaxProblems' in parsed) throw invalid(parsed.syntaxProblems);

  const validate = await configValidator();
  const problems: ConfigProblem[] = validate(parsed.value)
    ? []
    // Rule keys and severities are checked by hand below, where the catalog can say which rules there are.
    : schemaProblems((validate.errors ?? []).filter((error) => !/^#\/properties\/rules\/(?:propertyNames|additionalProperties)\b/.test(error.schemaPath)));
  // Not an object (`null`, `[]`): the schema said so above; there is nothing more to check.
  const raw = isPlainObject(parsed.value) ? parsed.value : {};
  const config = { ...raw } as RinglintConfig;
  const { globWildcardProblem } = await import('./path-filter.js');
  for (const key of ['include', 'exclude'] as const) {
    const globs = raw[key];
    if (!Array.isArray(globs)) continue;
    globs.forEach((glob, index) => {
      const problem = typeof glob === 'string' ? globWildcardProblem(glob) : undefined;
      if (problem) problems.push({ path: [key, index], atKey: false, message: problem });
    });
  }
  if (isPlainObject(raw.rules)) {
    const rules = normaliseRuleSettings(raw.rules);
    problems.push(...rules.problems);
    config.rules = rules.settings;
  }
  if (problems.length > 0) {
    throw invalid(
      problems
        .map((problem) => ({ ...parsed.placeOf(problem.path, problem.atKey), message: `${formatJsonPath(problem.path)}: ${problem.message}` }))
        .sort((a, b) => a.line - b.line || a.column - b.column),
    );
  }
  return config;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The path as the user would write it: relative to the working directory when inside it. */
function displayName(path: string): string {
  const fromCwd = relative(process.cwd(), path);
  return fromCwd === '' || fromCwd.startsWith('..') || isAbsolute(fromCwd) ? path : fromCwd;
}

type Validator = ReturnType<InstanceType<typeof AjvModule.default>['compile']>;
/** Compiled once: compiling takes tens of milliseconds, and a process may check many configs (the config fuzz test: hundreds). */
let compiled: Validator | undefined;

/** ajv is loaded only when there is a config to check: most scans have none, and it costs start-up time. */
async function configValidator(): Promise<Validator> {
  if (compiled) return compiled;
  // ajv is CommonJS: under NodeNext its class is the module's `default` property.
  const { default: ajvModule } = await import('ajv');
  // The schema ships in the package's src/config, where editors find it too.
  const schema = JSON.parse(readFileSync(packagePath('src', 'config', 'ringlint.config.schema.json'), 'utf8')) as object;
  compiled = new ajvModule.default({ allErrors: true, verbose: true }).compile(schema);
  return compiled;
}
