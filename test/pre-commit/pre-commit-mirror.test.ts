/**
 * Debian's pre-commit installs the hooks from the generated mirror (.github/pre-commit-mirror) with
 * the registry out of reach, from the npm cache `npm ci` filled, and guards real `git commit`s: a
 * staged finding blocks the commit with the finding in the output, an untracked bad file does not,
 * and the commit passes once the fix is staged.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATIVE_RUNTIME_PACKAGE } from '../../src/tree-sitter/grammar-parser.js';
import { generateMirror } from '../../.github/pre-commit-mirror/mirror.js';
import { KERNEL_EQUALITY_C, PLAIN_C, REPO_ROOT, makeTempDir, removeTempDir, writeTree } from '../cli/cli-harness.js';

const USER_BIT_C = KERNEL_EQUALITY_C.replace('h->tp_status != TP_STATUS_KERNEL', '(h->tp_status & TP_STATUS_USER) != 0');
const TS_CONSUMER = 'const TP_STATUS_KERNEL = 0;\nexport function ready(h: { tp_status: number }): boolean {\n  return h.tp_status !== TP_STATUS_KERNEL;\n}\n';

describe('pre-commit with the generated mirror', { timeout: 120_000 }, () => {
  let dir: string;
  let project: string;
  let env: NodeJS.ProcessEnv;

  function run(command: string, args: string[]): { code: number | null; output: string } {
    const child = spawnSync(command, args, { cwd: project, env, encoding: 'utf8' });
    if (child.error) throw child.error;
    return { code: child.status, output: child.stdout + child.stderr };
  }
  const git = (...args: string[]) => run('git', args);
  const commit = (message: string) => run('git', ['commit', '-q', '-m', message]);
  const head = () => git('rev-parse', 'HEAD').output.trim();

  beforeAll(async () => {
    dir = await makeTempDir();
    project = join(dir, 'project');
    env = {
      ...process.env,
      GIT_AUTHOR_NAME: 'ringlint test',
      GIT_AUTHOR_EMAIL: 'test@ringlint.invalid',
      GIT_COMMITTER_NAME: 'ringlint test',
      GIT_COMMITTER_EMAIL: 'test@ringlint.invalid',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      PRE_COMMIT_HOME: join(dir, 'pre-commit-home'),
      XDG_CACHE_HOME: join(dir, 'cache'),
      // No registry: npm may use its cache and nothing else, and any request goes nowhere.
      npm_config_offline: 'true',
      npm_config_proxy: 'http://127.0.0.1:9/',
      npm_config_https_proxy: 'http://127.0.0.1:9/',
      npm_config_update_notifier: 'false',
    };
    const version = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
    if (version.error) throw new Error(`pre-commit is not installed (.ci/install installs Debian's): ${version.error.message}`);

    const mirrorDirectory = join(dir, 'mirror');
    const saved = { ...process.env };
    Object.assign(process.env, { GIT_AUTHOR_NAME: env.GIT_AUTHOR_NAME, GIT_AUTHOR_EMAIL: env.GIT_AUTHOR_EMAIL, GIT_COMMITTER_NAME: env.GIT_COMMITTER_NAME, GIT_COMMITTER_EMAIL: env.GIT_COMMITTER_EMAIL });
    const mirror = await generateMirror({ repository: REPO_ROOT, output: mirrorDirectory }).finally(() => {
      process.env = saved;
    });

    await writeTree(project, {
      '.pre-commit-config.yaml': [
        'repos:',
        `  - repo: ${mirrorDirectory}`,
        `    rev: ${mirror.tag}`,
        '    hooks:',
        '      - id: ringlint',
        '      - id: ringlint-scan',
        '        stages: [manual]',
        '',
      ].join('\n'),
      'src/ok.c': PLAIN_C,
    });
    expect(git('init', '-q').code).toBe(0);
    git('add', '-A');
    expect(commit('base').code).toBe(0);

    const started = performance.now();
    const install = run('pre-commit', ['install-hooks']);
    // A figure for the report, not a bound.
    console.log(`pre-commit install-hooks (offline, from the mirror): ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(install.code, install.output).toBe(0);
    expect(run('pre-commit', ['install']).code).toBe(0);
    // The hook environment holds ringlint and its runtime dependencies, none of its dev tools.
    const [environment] = readdirSync(env.PRE_COMMIT_HOME!).flatMap((repository) =>
      repository.startsWith('repo') ? readdirSync(join(env.PRE_COMMIT_HOME!, repository)).filter((name) => name.startsWith('node_env')).map((name) => join(env.PRE_COMMIT_HOME!, repository, name)) : [],
    );
    const installed = join(environment!, 'lib/node_modules/ringlint');
    expect(existsSync(join(installed, 'dist/src/cli/main.js'))).toBe(true);
    expect(existsSync(join(installed, 'node_modules/ts-morph'))).toBe(true);
    for (const devDependency of ['vitest', '@ast-grep/cli', 'fast-check']) expect(existsSync(join(installed, 'node_modules', devDependency)), devDependency).toBe(false);
    // Nothing was compiled: the hooks parse with tree-sitter's WebAssembly build.
    expect(existsSync(join(installed, 'node_modules', NATIVE_RUNTIME_PACKAGE))).toBe(false);
    expect(existsSync(join(installed, 'node_modules/web-tree-sitter'))).toBe(true);
  }, 600_000);
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('blocks a commit that stages a finding, not one beside an untracked bad file, and passes after the fix', async () => {
    await writeTree(project, { 'scratch.c': KERNEL_EQUALITY_C, 'src/ok.c': `${PLAIN_C}/* tuned */\n` });
    git('add', 'src/ok.c');
    const clean = commit('unrelated change beside an untracked file');
    expect(clean.code, clean.output).toBe(0);
    expect(clean.output).toMatch(/ringlint \(new findings in the staged changes\)\.+Passed/);

    await writeTree(project, { 'src/ring.c': KERNEL_EQUALITY_C });
    git('add', 'src/ring.c');
    const before = head();
    const blocked = commit('a consumer that tests KERNEL');
    expect(blocked.code).not.toBe(0);
    expect(blocked.output).toMatch(/ringlint \(new findings in the staged changes\)\.+Failed/);
    expect(blocked.output).toMatch(/^src\/ring\.c:2:6: error: .*\[RL001\]$/m);
    expect(blocked.output).not.toContain('scratch.c');
    expect(head()).toBe(before);

    await writeFile(join(project, 'src/ring.c'), USER_BIT_C);
    git('add', 'src/ring.c');
    const fixed = commit('a consumer that tests the USER bit');
    expect(fixed.code, fixed.output).toBe(0);
    expect(head()).not.toBe(before);
  });

  it('runs on TypeScript changes too, and the scan hook reports the whole working tree', async () => {
    await writeTree(project, { 'web/consumer.ts': TS_CONSUMER });
    git('add', 'web/consumer.ts');
    const blocked = commit('a TypeScript consumer');
    expect(blocked.code).not.toBe(0);
    expect(blocked.output).toMatch(/^web\/consumer\.ts:3:10: error: .*\[RL001\]$/m);
    git('reset', '-q', 'web/consumer.ts');

    const scan = run('pre-commit', ['run', '--hook-stage', 'manual', 'ringlint-scan', '--all-files']);
    expect(scan.code).not.toBe(0);
    expect(scan.output).toMatch(/ringlint \(all findings\)\.+Failed/);
    expect(scan.output).toMatch(/^scratch\.c:2:6: error: .*\[RL001\]$/m);
    expect(scan.output).toMatch(/^web\/consumer\.ts:3:10: error: .*\[RL001\]$/m);
  });
});
