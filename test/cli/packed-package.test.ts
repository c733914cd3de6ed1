/**
 * The package as `npm pack` makes it: unpacked elsewhere, its install script run as npm runs it on
 * installation, the CLI must scan with a config file (the schema ships), use ringscan (its source
 * ships and the install script builds it) and find the rule documents SARIF embeds.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KERNEL_EQUALITY_C, makeTempDir, REPO_ROOT, removeTempDir, writeTree } from './cli-harness.js';

describe('the packed package', { timeout: 120_000 }, () => {
  let dir: string;
  let unpacked: string;

  beforeAll(async () => {
    dir = await makeTempDir();
    // --ignore-scripts: `prepare` would rebuild the working tree; `npm test` has just built it.
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: REPO_ROOT, stdio: 'ignore' });
    const [tarball] = readdirSync(dir).filter((name) => name.endsWith('.tgz'));
    execFileSync('tar', ['-xzf', join(dir, tarball!), '-C', dir]);
    unpacked = join(dir, 'package');
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(unpacked, 'node_modules'));
    execFileSync('npm', ['run', 'install'], { cwd: unpacked, stdio: 'ignore' });
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  function scan(args: string[]): { code: number; stdout: string } {
    try {
      const stdout = execFileSync(process.execPath, [join(unpacked, 'dist/src/cli/main.js'), 'scan', ...args], {
        cwd: join(dir, 'tree'),
        env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') },
        encoding: 'utf8',
      });
      return { code: 0, stdout };
    } catch (error) {
      const { status, stdout, stderr } = error as { status: number; stdout: string; stderr: string };
      if (status !== 1) throw new Error(`scan exited ${status}: ${stderr}`);
      return { code: status, stdout };
    }
  }

  it('builds ringscan on installation and scans with a config and rule documents', async () => {
    expect(existsSync(join(unpacked, 'dist/native/ringscan'))).toBe(true);
    await writeTree(join(dir, 'tree'), { 'a.c': KERNEL_EQUALITY_C, 'ringlint.config.json': JSON.stringify({ rules: { RL001: 'warning' } }) });
    const json = scan(['--format', 'json', '--no-cache']);
    expect(json.code).toBe(0); // a warning alone passes
    const report = JSON.parse(json.stdout) as { findings: Array<{ ruleId: string; severity: string }> };
    expect(report.findings.map((finding) => `${finding.ruleId} ${finding.severity}`)).toEqual(['RL001 warning']);
    const sarif = JSON.parse(scan(['--format', 'sarif', '--no-cache']).stdout) as {
      runs: Array<{ tool: { driver: { rules: Array<{ id: string; help: { markdown: string } }> } } }>;
    };
    const rule = sarif.runs[0]!.tool.driver.rules.find((candidate) => candidate.id === 'RL001');
    // The whole document, not the one-line summary used when it is missing.
    expect(rule?.help.markdown).toMatch(/^# RL001/m);
  });
});
