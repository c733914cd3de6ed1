/**
 * The GitHub Action (.github/actions/ringlint/action.yml), its steps run as the runner runs them
 * (composite-action.ts) against a temporary repository: a base commit with an old finding and a
 * pull request commit that introduces new ones. The action's ringlint is this checkout, installed
 * and built by `npm test`: the cache restore answers "hit", as it does once a run has installed it.
 */
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KERNEL_EQUALITY_C, PLAIN_C, REPO_ROOT, makeTempDir, removeTempDir, writeTree } from '../cli/cli-harness.js';
import { commitAll, git } from '../review/git-harness.js';
import { runCompositeAction, type CompositeRun } from './composite-action.js';

const ACTION_PATH = join(REPO_ROOT, '.github/actions/ringlint');
const CONSUMER_C = KERNEL_EQUALITY_C.replace('int f(', 'int consume(');

interface SarifLog {
  runs: Array<{
    originalUriBaseIds: Record<string, { uri: string }>;
    results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } } }> }>;
  }>;
}

describe('the GitHub Action', { timeout: 120_000 }, () => {
  let dir: string;
  let workspace: string;
  let baseSha: string;
  let headSha: string;
  const marker = () => join(dir, 'pwned');

  beforeAll(async () => {
    dir = await makeTempDir();
    workspace = join(dir, 'workspace');
    await mkdir(join(dir, 'runner-temp'));
    git(dir, 'init', '-q', workspace);
    await writeTree(workspace, { 'src/old.c': KERNEL_EQUALITY_C, 'src/ok.c': PLAIN_C, 'packages/a/ok.c': PLAIN_C, 'packages/b/old.c': KERNEL_EQUALITY_C });
    commitAll(workspace, 'base');
    baseSha = git(workspace, 'rev-parse', 'HEAD').trim();
    git(workspace, 'checkout', '-q', '-b', 'feature');
    // The pull request adds findings in two packages, and commits a `ringlint` of its own where
    // `npx ringlint` would find it (F7): it must never run.
    const intruder = `#!/usr/bin/env node\nrequire('fs').writeFileSync(${JSON.stringify(marker())}, 'ran');\n`;
    await writeTree(workspace, {
      'src/new.c': CONSUMER_C,
      'packages/a/new.c': CONSUMER_C,
      'package.json': '{"name":"victim","version":"1.0.0"}\n',
      'node_modules/ringlint/package.json': '{"name":"ringlint","version":"9.9.9","bin":{"ringlint":"e.js"}}\n',
      'node_modules/ringlint/e.js': intruder,
      'node_modules/.bin/ringlint': intruder,
    });
    await chmod(join(workspace, 'node_modules/ringlint/e.js'), 0o755);
    await chmod(join(workspace, 'node_modules/.bin/ringlint'), 0o755);
    git(workspace, 'add', '-f', '-A');
    git(workspace, '-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-q', '-m', 'feature');
    headSha = git(workspace, 'rev-parse', 'HEAD').trim();
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  const pullRequest = (headRepository = 'ringlint/demo') => ({
    event_name: 'pull_request',
    ref: 'refs/pull/7/merge',
    event: {
      pull_request: { number: 7, base: { sha: baseSha, repo: { full_name: 'ringlint/demo' } }, head: { sha: headSha, repo: { full_name: headRepository } } },
      repository: { full_name: 'ringlint/demo', default_branch: 'main' },
    },
  });
  const pushToMain = () => ({
    event_name: 'push',
    ref: 'refs/heads/main',
    event: { ref: 'refs/heads/main', before: baseSha, after: headSha, repository: { full_name: 'ringlint/demo', default_branch: 'main' } },
  });

  interface Scenario {
    github: { event_name: string; ref: string; event: object };
    inputs?: Record<string, string>;
    upload?: 'success' | 'failure';
  }
  const uploads: Array<Record<string, string>> = [];
  const otherActions: string[] = [];

  function run(scenario: Scenario): CompositeRun {
    uploads.length = 0;
    otherActions.length = 0;
    return runCompositeAction({
      actionFile: join(ACTION_PATH, 'action.yml'),
      inputs: scenario.inputs ?? {},
      github: { ...scenario.github, workspace, action_path: ACTION_PATH, repository: 'ringlint/demo' },
      runner: { os: 'Linux', arch: 'X64', temp: join(dir, 'runner-temp') },
      env: { XDG_CACHE_HOME: join(dir, 'cache') },
      uses: (uses, inputs) => {
        if (uses === 'actions/cache/restore@v4') {
          otherActions.push(`restore ${inputs.key}`);
          return { outcome: 'success', outputs: { 'cache-hit': 'true', 'cache-primary-key': inputs.key!, 'cache-matched-key': inputs.key! } };
        }
        if (uses === 'github/codeql-action/upload-sarif@v4') {
          uploads.push(inputs);
          return { outcome: scenario.upload ?? 'success' };
        }
        otherActions.push(uses);
        return { outcome: 'success' };
      },
    });
  }

  async function sarifResults(path: string): Promise<{ base: string; results: string[] }> {
    const log = JSON.parse(await readFile(path, 'utf8')) as SarifLog;
    const [only] = log.runs;
    return {
      base: only!.originalUriBaseIds['%SRCROOT%']!.uri,
      results: only!.results.map(({ ruleId, locations: [location] }) => {
        const { artifactLocation, region } = location!.physicalLocation;
        expect(artifactLocation.uriBaseId).toBe('%SRCROOT%');
        return `${ruleId} ${artifactLocation.uri}:${region.startLine}`;
      }),
    };
  }

  it('reviews a pull request against its base commit and uploads SARIF with repository-relative paths', async () => {
    const action = run({ github: pullRequest() });
    expect(action.step('run').stderr).toBe('');
    expect(action.outputs).toMatchObject({ 'exit-code': '1', mode: 'review' });
    // The installation restored from the cache is used as it is.
    expect(action.step('install').outcome).toBe('skipped');
    expect(otherActions).toEqual([`restore ${action.step('locate').outputs['cache-key']}`]);
    expect(action.step('locate').outputs.root).toBe(REPO_ROOT.replace(/\/$/, ''));

    // Only what the pull request introduced; the old finding in src/old.c is not new.
    const sarif = await sarifResults(action.outputs['sarif-file']!);
    expect(sarif.results).toEqual(['RL001 packages/a/new.c:2', 'RL001 src/new.c:2']);
    expect(sarif.base).toBe(pathToFileURL(`${workspace}/`).href);
    expect(uploads).toEqual([{ sarif_file: action.outputs['sarif-file'], category: 'ringlint', checkout_path: workspace }]);

    expect(action.summary).toMatch(/^### ringlint: 2 problems/m);
    expect(action.summary).toContain('`src/new.c:2`');
    // Code scanning shows the findings: no annotations on top of its alerts.
    expect(action.step('annotate').outcome).toBe('skipped');
    expect(action.step('Verdict').outcome).toBe('failure');
    expect(action.failed).toBe(true);
    expect(existsSync(marker())).toBe(false);
  });

  it('annotates instead when the upload fails (no code scanning) or a fork cannot upload, never running a committed ringlint', async () => {
    const privateRepository = run({ github: pullRequest(), upload: 'failure' });
    expect(privateRepository.step('upload')).toMatchObject({ outcome: 'failure', conclusion: 'success' });
    const annotations = privateRepository.step('annotate').stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations).toEqual([
      expect.stringMatching(/^::error file=packages\/a\/new\.c,line=2,col=6,.*title=RL001 kernel-equality::/),
      expect.stringMatching(/^::error file=src\/new\.c,line=2,col=6,.*title=RL001 kernel-equality::/),
    ]);
    expect(privateRepository.summary).toContain('`packages/a/new.c:2`');
    // The failed upload does not fail the job; the findings do.
    expect(privateRepository.steps.filter((step) => step.conclusion === 'failure').map((step) => step.name)).toEqual(['Verdict']);

    const fork = run({ github: pullRequest('someone/demo') });
    expect(fork.step('run').outputs.upload).toBe('false');
    expect(fork.step('upload').outcome).toBe('skipped');
    expect(uploads).toEqual([]);
    expect(fork.step('annotate').stdout).toContain('::error file=src/new.c,line=2');
    expect(existsSync(marker())).toBe(false);
  });

  it('scans everything on a push to the default branch, the base analysis code scanning compares with', async () => {
    const action = run({ github: pushToMain(), inputs: { 'fail-on-findings': 'false' } });
    expect(action.outputs).toMatchObject({ 'exit-code': '1', mode: 'scan' });
    const sarif = await sarifResults(action.outputs['sarif-file']!);
    expect(sarif.results).toEqual(['RL001 packages/a/new.c:2', 'RL001 packages/b/old.c:2', 'RL001 src/new.c:2', 'RL001 src/old.c:2']);
    expect(action.summary).toMatch(/^### ringlint: 4 problems/m);
    expect(action.step('Verdict').outcome).toBe('skipped');
    expect(action.failed).toBe(false);
  });

  it('analyses the working-directory only, with paths still relative to the repository root', async () => {
    const push = run({ github: pushToMain(), inputs: { 'working-directory': 'packages/a', 'fail-on-findings': 'false' } });
    expect((await sarifResults(push.outputs['sarif-file']!)).results).toEqual(['RL001 packages/a/new.c:2']);
    expect(uploads).toEqual([expect.objectContaining({ category: 'ringlint/packages/a', checkout_path: workspace })]);

    const review = run({ github: pullRequest(), inputs: { 'working-directory': 'packages/b' }, upload: 'failure' });
    expect(review.outputs['exit-code']).toBe('0');
    expect((await sarifResults(review.outputs['sarif-file']!)).results).toEqual([]);
    expect(review.summary).toMatch(/^### ringlint: no problems/m);
    expect(review.failed).toBe(false);
  });

  it('fails as a tool error, with a summary, when ringlint cannot run', async () => {
    const unknownBase = run({ github: pullRequest(), inputs: { base: '0000000000000000000000000000000000000001' } });
    expect(unknownBase.outputs['exit-code']).toBe('2');
    expect(unknownBase.step('run').outcome).toBe('failure');
    expect(unknownBase.step('run').stderr).toContain('unknown ref');
    expect(unknownBase.summary).toContain('### ringlint failed');
    expect(unknownBase.step('upload').outcome).toBe('skipped');
    expect(unknownBase.failed).toBe(true);

    const noBase = run({ github: { event_name: 'workflow_dispatch', ref: 'refs/heads/main', event: {} }, inputs: { mode: 'review' } });
    expect(noBase.outputs['exit-code']).toBe('2');
    expect(noBase.step('run').stdout).toContain("::error title=ringlint::no base commit to review against: set the 'base' input");

    const notADirectory = run({ github: pushToMain(), inputs: { 'working-directory': 'no/such/dir' } });
    expect(notADirectory.outputs['exit-code']).toBe('2');
    expect(notADirectory.summary).toContain("working-directory 'no/such/dir' is not a directory");
  });
});
