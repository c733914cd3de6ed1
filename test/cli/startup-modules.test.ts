import { utimesSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KERNEL_EQUALITY_C, REPO_ROOT, makeTempDir, removeTempDir, runCli, writeTree } from './cli-harness.js';

/**
 * Start-up cost is the modules loaded: these tests run the built CLI with a module hook that logs
 * every module it loads, and check that --version and a scan answered from the cache leave the fix
 * machinery (and tree-sitter; text loads the fix planning alone), review, the runtime check and the
 * other reporters unloaded.
 */

/** Preloaded with --import: ESM resolutions through a hook, CommonJS requires from the module cache at exit. */
const REGISTER_HOOK = `
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
register('./log-hook.mjs', import.meta.url);
const Module = createRequire(import.meta.url)('node:module');
process.on('exit', () => {
  const urls = Object.keys(Module._cache).map((path) => pathToFileURL(path).href);
  if (urls.length > 0) appendFileSync(process.env.RINGLINT_MODULE_LOG, urls.join('\\n') + '\\n');
});
`;
const LOG_HOOK = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.RINGLINT_MODULE_LOG, result.url + '\\n');
  return result;
}
`;

/** Modules of the package (dist/src/…) and packages from node_modules; never needed on these paths. */
const NEVER_AT_START_UP = [
  /^dist\/src\/fix\/(?!text-positions\.js$)/, // text-positions: baseline fingerprints use it
  /^dist\/src\/cli\/round-fixes\.js$/,
  /^dist\/src\/review\//,
  /^dist\/src\/runtime\/(?!check-command\.js$)/,
  /^dist\/src\/(c|cpp|ts)\/(?!language\.js$)/, // a language's row is light: its front end loads on first use
  /^dist\/src\/tree-sitter\//,
  /^dist\/src\/reporters\/(sarif|rdjson|markdown|github)/,
  /^node_modules\/(diff|@ringlint\/tree-sitter|tree-sitter-c|tree-sitter-cpp|web-tree-sitter|ajv|jsonc-parser|picomatch|typescript|ts-morph)\//,
];

describe('ringlint start-up', { timeout: 60_000 }, () => {
  let dir: string;
  let tree: string;
  let env: Record<string, string>;
  let logCount = 0;

  beforeAll(async () => {
    dir = await makeTempDir();
    tree = join(dir, 'tree');
    env = { XDG_CACHE_HOME: join(dir, 'cache') };
    // A fixable finding: before fixes were planned on demand, every scan with one loaded tree-sitter.
    await writeTree(tree, { 'consumer.c': KERNEL_EQUALITY_C });
    // Stamps older than the cache's racy window, as a tree at rest has: the second scan is a hit.
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const path of ['consumer.c', '.']) utimesSync(join(tree, path), hourAgo, hourAgo);
    await writeFile(join(dir, 'register-hook.mjs'), REGISTER_HOOK);
    await writeFile(join(dir, 'log-hook.mjs'), LOG_HOOK);
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  /**
   * Runs the CLI and returns what it loaded: repository-relative paths, and node: built-ins as they
   * are, sorted, and in the order they were first asked for.
   */
  async function loadedBy(args: readonly string[]): Promise<{ code: number | null; modules: string[]; order: string[] }> {
    const log = join(dir, `modules-${logCount++}.log`);
    await writeFile(log, '');
    const run = await runCli(args, {
      cwd: tree,
      env: { ...env, NODE_OPTIONS: `--import=${pathToFileURL(join(dir, 'register-hook.mjs')).href}`, RINGLINT_MODULE_LOG: log },
    });
    const urls = new Set((await readFile(log, 'utf8')).split('\n').filter((url) => url !== ''));
    const order = [...urls].map((url) => (url.startsWith('file:') ? fileURLToPath(url).slice(REPO_ROOT.length) : url));
    return { code: run.code, modules: [...order].sort(), order };
  }

  function unexpected(modules: readonly string[], alsoNever: readonly RegExp[] = []): string[] {
    return modules.filter((module) => [...NEVER_AT_START_UP, ...alsoNever].some((pattern) => pattern.test(module)));
  }

  it('--version loads commander and the command registrations only', async () => {
    const { code, modules } = await loadedBy(['--version']);
    expect(code).toBe(0);
    // scan/max-file-size.js is the default of --max-file-size alone, a module of its own for this.
    expect(unexpected(modules, [/^dist\/src\/(scan\/(?!max-file-size\.js$)|policy|config|reporters)\//, /^dist\/src\/cli\/(policy-inputs|lint-round|run-output)\.js$/])).toEqual([]);
    expect(modules.filter((module) => module.startsWith('node_modules/') && !module.startsWith('node_modules/commander/'))).toEqual([]);
  });

  it('a cached scan starts its stamp check with the few modules that needs, before it reads the command line', async () => {
    const args = ['scan', '--format', 'json'];
    expect((await runCli(args, { cwd: tree, env })).code).toBe(1);
    const { code, order } = await loadedBy(args);
    expect(code).toBe(1);
    // main.ts asks for prestart.ts once the check has started: what came before is what the check waited for.
    const beforeCheck = order.slice(0, order.indexOf('dist/src/cli/prestart.js'));
    expect(beforeCheck).toContain('dist/src/native/ringscan-verify.js');
    expect(beforeCheck.filter((module) => /^dist\/src\/(cli\/(?!main\.js$)|languages\/|model\/|rules\/|scan\/)|^node_modules\//.test(module))).toEqual([]);
  });

  it('a cached scan loads neither the fix machinery nor other commands or reporters', async () => {
    for (const format of ['json', 'text']) {
      const args = ['scan', '--format', format];
      expect((await runCli(args, { cwd: tree, env })).code).toBe(1);
      // On a cache miss the C analyzer (dist/src/c/) would load too, and this would fail.
      const { code, modules } = await loadedBy(args);
      expect(code).toBe(1);
      const otherReporter = format === 'json' ? /^dist\/src\/reporters\/(text-reporter|code-frame)\.js$/ : /^dist\/src\/reporters\/json-reporter\.js$/;
      // Text shows each finding's fix and counts them: it plans fixes, and only plans them.
      const planning = /^dist\/src\/(cli\/round-fixes|fix\/(fix-plan|ownership-rewrite|text-edit|edit-region|editable-files))\.js$/;
      const expected = format === 'text' ? modules.filter((module) => planning.test(module)) : [];
      expect(unexpected(modules, [otherReporter])).toEqual(expected);
      if (format === 'text') expect(expected).toContain('dist/src/fix/fix-plan.js');
      expect(modules).toContain(`dist/src/reporters/${format}-reporter.js`);
    }
  });
});
