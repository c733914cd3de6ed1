/** ringlint.config.json through the CLI: rule settings, include/exclude, JSONC, and problems said at their line and column. */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config-file.js';
import { SEVERITY_SPELLINGS } from '../../src/config/rule-settings.js';
import { ruleKeys } from '../rules/rule-tables.js';
import { KERNEL_EQUALITY_C, makeTempDir, REPO_ROOT, removeTempDir, runCli, scanJson, writeTree } from '../cli/cli-harness.js';
import { isolatedCache } from './git-harness.js';

const UNORDERED_C = 'int f(struct tpacket2_hdr *h)\n{\n\tif (h->tp_status & TP_STATUS_USER)\n\t\treturn h->tp_len;\n\treturn 0;\n}\n';
/** RL001 (error), RL003 (error) and RL005 (warning) in one consumer. */
const THREE_RULES_C =
  'int f(struct tpacket2_hdr *h)\n{\n\tif (h->tp_status != TP_STATUS_KERNEL)\n\t\treturn 0;\n' +
  '\tif (h->tp_status == TP_STATUS_USER)\n\t\treturn h->tp_len;\n\treturn 0;\n}\n';

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
      'three/ring.c': THREE_RULES_C,
      'bad.json': [
        '{',
        '  // an ESLint habit: comments are fine',
        '  "rules": {',
        '    "RL009": "warn",',
        '    "RL001": "warn2",',
        '    "exact-user-equality": "off",',
        '    "RL003": "error",',
        '  },',
        '  "plugins": ["x.js"],',
        '  "check": { "delayUs": [20, -1], "inProgress": "loosing", "seed": "7" },',
        '}',
        '',
      ].join('\n'),
      'broken.json': '{\n  "rules": {\n    "RL001": "off"\n    "RL002": "off"\n  }\n}\n',
    });
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('applies rule settings and exclude globs from the scanned root', async () => {
    const { run, report } = await scanJson(['project'], { cwd: dir, env: isolatedCache(dir) });
    expect(run.code).toBe(0); // RL001 is only a warning here
    expect(report.findings.map((finding) => `${finding.file} ${finding.ruleId} ${finding.severity}`)).toEqual(['project/src/a.c RL001 warning']);
    expect((await scanJson(['project', '--max-warnings', '0'], { cwd: dir, env: isolatedCache(dir) })).run.code).toBe(1);
    const errorsOnly = await scanJson(['project', '--severity', 'error'], { cwd: dir, env: isolatedCache(dir) });
    expect(errorsOnly.report.findings).toEqual([]);
  });

  it("accepts JSONC and ESLint's spellings of rules and severities", async () => {
    const settings = async (config: string): Promise<string[]> => {
      await writeTree(dir, { 'three/ringlint.config.json': config });
      const { report } = await scanJson(['three'], { cwd: dir, env: isolatedCache(dir) });
      return report.findings.map((finding) => `${finding.ruleId} ${finding.severity}`);
    };
    expect(await settings('{}')).toEqual(['RL001 error', 'RL005 warning', 'RL003 error', 'RL005 warning']);
    const eslintStyle = [
      '{',
      '  /* as in an eslint.config.js */',
      '  "rules": {',
      '    "ringlint/kernel-equality": "warn", // a warning',
      '    "exact-user-equality": 0,',
      '    "RL005": 2,',
      '  },',
      '}',
    ].join('\n');
    expect(await settings(eslintStyle)).toEqual(['RL001 warning', 'RL005 error', 'RL005 error']);
    expect(await settings('{"rules": {"kernel-equality": 1, "RL003": "warning", "status-read-without-acquire": "off"}}')).toEqual(['RL001 warning', 'RL003 warning']);
  });

  it('names each offending key with what is allowed there, at its line and column', async () => {
    const run = await runCli(['scan', 'project', '--config', 'bad.json'], { cwd: dir, env: isolatedCache(dir) });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      [
        'ringlint: invalid config bad.json',
        'bad.json:4:5: rules.RL009: unknown rule; expected one of RL001…RL008 or a rule name (kernel-equality, truthy-status, exact-user-equality, ' +
          'v3-block-kernel-equality, status-read-without-acquire, release-without-ordering, mask-precedence, unchecked-frame-access; ringlint/name works too)',
        'bad.json:5:14: rules.RL001: "warn2" is not a severity; expected "off", "warn", "warning", "error", 0, 1 or 2',
        'bad.json:7:5: rules.RL003: names RL003 (exact-user-equality) again, as "exact-user-equality" did; keep one',
        'bad.json:9:3: plugins: unknown key; expected one of $schema, include, exclude, rules, baseline, check',
        'bad.json:10:30: check.delayUs[1]: must be at least 0, found -1',
        'bad.json:10:49: check.inProgress: "loosing" is not allowed; expected "undefined-bit" or "losing"',
        'bad.json:10:68: check.seed: expected an integer, found a string ("7")',
        '',
      ].join('\n'),
    );
  });

  it('reports a syntax error by line and column', async () => {
    const run = await runCli(['scan', 'project', '--config', 'broken.json'], { cwd: dir, env: isolatedCache(dir) });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('ringlint: invalid config broken.json\nbroken.json:4:5: syntax error: comma expected\n');
  });

  it('names the file and the key of a glob too long to compile (F27)', async () => {
    const config = JSON.stringify({ include: ['src/**'], exclude: ['x'.repeat(100_000)] });
    await expect(parseConfig(config, 'c.json')).rejects.toThrow(
      new ConfigError('invalid config c.json\nc.json:1:34: exclude[0]: must be at most 4096 characters long, found 100000'),
    );
    await expect(parseConfig(JSON.stringify({ exclude: ['x'.repeat(4096)] }), 'c.json')).resolves.toEqual({ exclude: ['x'.repeat(4096)] });
  });

  it('refuses globs whose matching time grows as a power of a path\'s length, and reads only a regular file as config', async () => {
    // Fuzzing found it: a repository writes both its config and its paths. This glob against a file
    // named with 60 a's kept the scan matching for longer than any deadline.
    const hostile = '*a'.repeat(10) + 'b';
    await writeTree(dir, { 'redos/ringlint.config.json': JSON.stringify({ exclude: ['vendor/**', hostile] }), [`redos/${'a'.repeat(60)}.c`]: KERNEL_EQUALITY_C });
    const run = await runCli(['scan', 'redos', '--no-cache'], { cwd: dir, deadlineMs: 20_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'ringlint: invalid config redos/ringlint.config.json\n' +
        'redos/ringlint.config.json:1:25: exclude[1]: holds 10 wildcards (* runs, ** and extglob groups); at most 2 are allowed, as matching time grows with a path\'s length to the power of their number\n',
    );
    for (const glob of ['**/a**a**b', '?(x)@(y)a*.c', '**/test/**/*.c']) await expect(parseConfig(JSON.stringify({ include: [glob] }), 'c.json')).rejects.toThrow(/holds 3 wildcards/);
    // Common globs; escaped stars and stars in brackets are no wildcards.
    const fine = ['src/**/*.{c,h}', '**/test/**', 'vendor/*', '\\*\\*\\*x*', '[*][*][*]x*', 'a?b?c?*'];
    await expect(parseConfig(JSON.stringify({ include: fine }), 'c.json')).resolves.toEqual({ include: fine });

    const fifo = join(dir, 'fifo.json');
    spawnSync('mkfifo', [fifo]);
    for (const [config, reason] of [[fifo, 'not a regular file'], ['/dev/zero', 'not a regular file']] as const) {
      const read = await runCli(['scan', 'project', '--no-cache', '--config', config], { cwd: dir, deadlineMs: 20_000 });
      expect(read.code, config).toBe(2);
      expect(read.stderr, config).toBe(`ringlint: cannot read config ${config}: ${reason}\n`);
    }
  });

  it('says a config that is not an object is not one, instead of crashing on it', async () => {
    // Found by fuzzing: `null` ended the run with "Cannot read properties of null (reading 'rules')".
    const found = { 'null': 'null', '[]': 'an array', '7': 'a number (7)', '"x"': 'a string ("x")' };
    for (const [text, description] of Object.entries(found)) {
      await expect(parseConfig(text, 'c.json')).rejects.toThrow(new ConfigError(`invalid config c.json\nc.json:1:1: (top level): expected an object, found ${description}`));
    }
  });

  it('ships its schema inside the package, and the schema accepts exactly the rules and severities the config does', async () => {
    const schema = JSON.parse(await readFile(join(REPO_ROOT, 'src/config/ringlint.config.schema.json'), 'utf8')) as {
      properties: { rules: { propertyNames: { enum: string[] }; additionalProperties: { enum: unknown[] } } };
    };
    expect(Object.keys(schema.properties)).toEqual(['$schema', 'include', 'exclude', 'rules', 'baseline', 'check']);
    expect(schema.properties.rules.propertyNames.enum).toEqual(ruleKeys());
    // Each key the schema lists is one the config reads as a rule.
    for (const key of ruleKeys()) await expect(parseConfig(JSON.stringify({ rules: { [key]: 'off' } }), 'c.json'), key).resolves.toHaveProperty('rules');
    expect(schema.properties.rules.additionalProperties.enum).toEqual([...SEVERITY_SPELLINGS.keys()]);
    // What an editor checks the file with: every spelling passes, a wrong one does not.
    const validate = new AjvModule.default({ allErrors: true }).compile(schema);
    expect(validate({ rules: { 'ringlint/mask-precedence': 'warn', 'truthy-status': 0, RL004: 'error' } })).toBe(true);
    expect(validate({ rules: { RL009: 'off' } })).toBe(false);
  });
});
