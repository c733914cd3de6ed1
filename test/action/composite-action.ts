/**
 * Runs a composite action's steps as the GitHub runner does, on this machine: `if:` conditions and
 * `${{ }}` templates are evaluated by GitHub's own expression library (@actions/expressions), each
 * `run:` step is a bash script (`bash --noprofile --norc -eo pipefail`, the runner's command line
 * for `shell: bash`) with a fresh GITHUB_OUTPUT and GITHUB_STEP_SUMMARY file, and a step's outputs
 * are read back from its GITHUB_OUTPUT. `uses:` steps (other actions) are answered by the caller.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { ExpressionData } from '@actions/expressions/data/expressiondata';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { truthy } from '@actions/expressions/result';
import { parse as parseYaml } from 'yaml';

interface ActionStep {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  'working-directory'?: string;
  'continue-on-error'?: boolean;
}

interface ActionFile {
  inputs?: Record<string, { default?: string }>;
  outputs?: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

type Outcome = 'success' | 'failure' | 'skipped';

export interface StepResult {
  id: string | undefined;
  name: string;
  outcome: Outcome;
  /** After continue-on-error: what later steps' status functions see. */
  conclusion: Outcome;
  outputs: Record<string, string>;
  stdout: string;
  stderr: string;
  /** A `uses:` step's inputs, as evaluated. */
  with?: Record<string, string>;
}

export interface CompositeRun {
  steps: StepResult[];
  /** The action's outputs. */
  outputs: Record<string, string>;
  failed: boolean;
  /** Every step's GITHUB_STEP_SUMMARY, in order. */
  summary: string;
  step(idOrName: string): StepResult;
}

export interface RunOptions {
  actionFile: string;
  inputs: Record<string, string>;
  /** The `github` context; its event is also written to GITHUB_EVENT_PATH. */
  github: { event_name: string; event: object; workspace: string; action_path: string; ref?: string; repository?: string };
  runner: { os: string; arch: string; temp: string };
  /** Added to every step's environment (PATH, HOME and the like come from this process). */
  env?: Record<string, string>;
  /** Answers a `uses:` step: what the action did. */
  uses: (uses: string, inputs: Record<string, string>) => { outcome: 'success' | 'failure'; outputs?: Record<string, string> };
}

const STATUS_FUNCTIONS = /\b(?:success|failure|always|cancelled)\s*\(/;

export function runCompositeAction(options: RunOptions): CompositeRun {
  const action = parseYaml(readFileSync(options.actionFile, 'utf8')) as ActionFile;
  if (action.runs.using !== 'composite') throw new Error(`not a composite action: ${options.actionFile}`);
  const scratch = mkdtempSync(join(tmpdir(), 'ringlint-action-'));
  try {
    const eventPath = join(scratch, 'event.json');
    writeFileSync(eventPath, JSON.stringify(options.github.event));
    const inputs: Record<string, string> = {};
    for (const [name, spec] of Object.entries(action.inputs ?? {})) inputs[name] = options.inputs[name] ?? spec.default ?? '';
    const stepContext: Record<string, { outputs: Record<string, string>; outcome: Outcome; conclusion: Outcome }> = {};
    const results: StepResult[] = [];
    const summaries: string[] = [];
    let jobFailed = false;
    const evaluate = (expression: string): ExpressionData =>
      evaluateExpression(expression, { inputs, steps: stepContext, github: options.github, runner: options.runner }, jobFailed);
    const template = (text: string) => text.replace(/\$\{\{(.*?)\}\}/gs, (_, expression: string) => evaluate(expression).coerceString());

    for (const [index, step] of action.runs.steps.entries()) {
      const name = step.name ?? step.id ?? `step ${index + 1}`;
      const condition = (step.if ?? '').replace(/^\s*\$\{\{(.*)\}\}\s*$/s, '$1').trim() || 'success()';
      const run = truthy(evaluate(STATUS_FUNCTIONS.test(condition) ? condition : `success() && (${condition})`));
      let result: StepResult;
      if (!run) {
        result = { id: step.id, name, outcome: 'skipped', conclusion: 'skipped', outputs: {}, stdout: '', stderr: '' };
      } else if (step.uses !== undefined) {
        const withInputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([key, value]) => [key, template(String(value))]));
        const answer = options.uses(step.uses, withInputs);
        result = { id: step.id, name, outcome: answer.outcome, conclusion: answer.outcome, outputs: answer.outputs ?? {}, stdout: '', stderr: '', with: withInputs };
      } else {
        if (step.shell !== 'bash') throw new Error(`${name}: only shell: bash is simulated`);
        // GitHub would splice a template into the script itself; inputs must come through env.
        if (step.run?.includes('${{')) throw new Error(`${name}: a template in run: is injected into the script`);
        const outputFile = join(scratch, `output-${index}`);
        const summaryFile = join(scratch, `summary-${index}`);
        const scriptFile = join(scratch, `step-${index}.sh`);
        writeFileSync(outputFile, '');
        writeFileSync(summaryFile, '');
        writeFileSync(scriptFile, step.run ?? '');
        const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, template(String(value))]));
        const child = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], {
          cwd: step['working-directory'] === undefined ? options.github.workspace : template(step['working-directory']),
          encoding: 'utf8',
          env: {
            ...process.env,
            ...options.env,
            GITHUB_ACTIONS: 'true',
            GITHUB_EVENT_NAME: options.github.event_name,
            GITHUB_EVENT_PATH: eventPath,
            GITHUB_WORKSPACE: options.github.workspace,
            GITHUB_ACTION_PATH: options.github.action_path,
            GITHUB_REF: options.github.ref ?? '',
            GITHUB_REPOSITORY: options.github.repository ?? '',
            GITHUB_OUTPUT: outputFile,
            GITHUB_STEP_SUMMARY: summaryFile,
            RUNNER_OS: options.runner.os,
            RUNNER_ARCH: options.runner.arch,
            RUNNER_TEMP: options.runner.temp,
            ...stepEnv,
          },
        });
        if (child.error) throw child.error;
        const outcome: Outcome = child.status === 0 ? 'success' : 'failure';
        result = {
          id: step.id,
          name,
          outcome,
          conclusion: outcome,
          outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
          stdout: child.stdout,
          stderr: child.stderr,
        };
        summaries.push(readFileSync(summaryFile, 'utf8'));
      }
      if (result.outcome === 'failure' && step['continue-on-error'] === true) result.conclusion = 'success';
      if (result.conclusion === 'failure') jobFailed = true;
      if (step.id !== undefined) stepContext[step.id] = { outputs: result.outputs, outcome: result.outcome, conclusion: result.conclusion };
      results.push(result);
    }
    const outputs = Object.fromEntries(Object.entries(action.outputs ?? {}).map(([name, spec]) => [name, template(spec.value)]));
    return {
      steps: results,
      outputs,
      failed: jobFailed,
      summary: summaries.join(''),
      step: (idOrName) => {
        const found = results.find((result) => result.id === idOrName || result.name === idOrName);
        if (!found) throw new Error(`no step ${idOrName}`);
        return found;
      },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function evaluateExpression(expression: string, contexts: Record<string, unknown>, jobFailed: boolean): ExpressionData {
  const lexed = new Lexer(expression).lex();
  const status = (value: boolean): FunctionDefinition => ({ name: '', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value) });
  const functions = new Map<string, FunctionDefinition>([
    ['success', { ...status(!jobFailed), name: 'success' }],
    ['failure', { ...status(jobFailed), name: 'failure' }],
    ['always', { ...status(true), name: 'always' }],
    ['cancelled', { ...status(false), name: 'cancelled' }],
  ]);
  const parsed = new Parser(lexed.tokens, Object.keys(contexts), [...functions.values()]).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  return new Evaluator(parsed, context, functions).evaluate();
}

/** `name=value` lines and `name<<DELIMITER` … `DELIMITER` blocks, as the runner reads GITHUB_OUTPUT. */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, index + 1);
      outputs[heredoc[1]!] = lines.slice(index + 1, end).join('\n');
      index = end;
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}
