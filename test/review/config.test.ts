/** ringlint.config.json through the CLI: rule settings, include/exclude, validation against the shipped schema. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KERNEL_EQUALITY_C, makeTempDir, REPO_ROOT, removeTempDir, runCli, scanJson, writeTree } from '../cli/cli-harness.js';
import { isolatedCache } from './git-harness.js';

const UNORDERED_C = 'int f(struct tpacket2_hdr *h)\n{\n\tif (h->tp_status & TP_STATUS_USER)\n\t\treturn h->tp_len;\n\treturn 0;\n}\n';

describe('ringlint.config.json', { timeout: 30_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    await writeTree(dir, {
      'project/src/a.c': KERNEL_EQUALITY_C,
      'project/src/ordering.c': UNORDERED_C,
      'project/vendor/b.c': KERNEL_EQUALITY_C,
      'project/ringlint.config.json': JSON.stringify({
        $schema: '../node_modules/ringlint/src/config/ringlint.config.schema.json',
        exclude: ['vendor/**'],
        rules: { RL005: 'off', RL001: 'warning' },
        check: { seed: 7, inProgress: 'losing', delayUs: [20, 200] },
      }),
      'bad.json': JSON.stringify({ rules: { RL001: 'loud' }, plugins: ['x.js'] }),
    });
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('applies rule settings and exclude globs from the scanned root', async () => {
    const { run, report } = await scanJson(['project'], { cwd: dir, env: isolatedCache(dir) });
    expect(run.code).toBe(0); // RL001 is only a warning here
    expect((await scanJson(['project', '--max-warnings', '0'], { cwd: dir, env: isolatedCache(dir) })).run.code).toBe(1);
    expect(report.findings.map((finding) => `${finding.file} ${finding.ruleId} ${finding.severity}`)).toEqual(['project/src/a.c RL001 warning']);
    const errorsOnly = await scanJson(['project', '--severity', 'error'], { cwd: dir, env: isolatedCache(dir) });
    expect(errorsOnly.run.code).toBe(0);
  });

  it('rejects an invalid config with exit 2 and says what is wrong', async () => {
    const run = await runCli(['scan', 'project', '--config', 'bad.json'], { cwd: dir, env: isolatedCache(dir) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('invalid config');
    expect(run.stderr).toContain('/rules/RL001 must be equal to one of the allowed values');
    expect(run.stderr).toContain('must NOT have additional properties');
  });

  it('ships its schema inside the package', async () => {
    const schema = JSON.parse(await readFile(join(REPO_ROOT, 'src/config/ringlint.config.schema.json'), 'utf8')) as { properties: object };
    expect(Object.keys(schema.properties)).toEqual(['$schema', 'include', 'exclude', 'rules', 'baseline', 'check']);
  });
});
