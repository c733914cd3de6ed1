/**
 * tsconfig.json and the files its `extends` names are read as every control file is (F9): a
 * FIFO, a device or a link to one is not waited on nor read without end, and the scan goes on
 * with default options, saying why. What is wrong in one is said at its file, line and column in
 * TypeScript's words, never quoting the file (F20: `extends` may name any file, /etc/shadow too).
 */
import { spawnSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, REPO_ROOT, removeTempDir } from './cli-harness.js';

const CLI = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
const CONSUMER_TS = 'export const f = (h: { tp_status: number }) => (h.tp_status ? 1 : 0);\n';
const SECRET = 'root:*:20250:0:99999:7:::\ndaemon:*:20250:0:99999:7:::\n';

interface Report {
  findings: Array<{ ruleId: string }>;
  errors: Array<{ file: string; message: string }>;
}

describe('tsconfig.json files a scan reads', { timeout: 120_000 }, () => {
  let dir: string;
  let run: { status: number | null; report: Report | undefined; stderr: string };
  /** Each directory holds a consumer and its tsconfig.json, and what that extends: `fifo` is made a FIFO, `-> target` a link. */
  const TREES: Record<string, Record<string, string>> = {
    'fifo': { 'tsconfig.json': 'fifo' },
    'zero': { 'tsconfig.json': '-> /dev/zero' },
    'extends-fifo': { 'tsconfig.json': '{"extends": "./b.json"}', 'b.json': 'fifo' },
    'extends-zero': { 'tsconfig.json': '{"extends": "./b.json"}', 'b.json': '-> /dev/zero' },
    'extends-secret': { 'tsconfig.json': '{\n  "extends": "./shadow"\n}\n', shadow: SECRET },
  };

  beforeAll(async () => {
    dir = await makeTempDir();
    for (const [tree, files] of Object.entries(TREES)) {
      await mkdir(join(dir, tree));
      await writeFile(join(dir, tree, 'a.ts'), CONSUMER_TS);
      for (const [file, content] of Object.entries(files)) {
        if (content === 'fifo') spawnSync('mkfifo', [join(dir, tree, file)]);
        else if (content.startsWith('-> ')) await symlink(content.slice(3), join(dir, tree, file));
        else await writeFile(join(dir, tree, file), content);
      }
    }
    // One scan of them all (a TypeScript scan costs seconds of CPU). A hang is the failure this
    // guards against: the run is killed well before the test's timeout.
    const scan = spawnSync(process.execPath, [CLI, 'scan', '--format', 'json', '--no-cache'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    run = { status: scan.status, report: scan.status === null ? undefined : (JSON.parse(scan.stdout) as Report), stderr: scan.stderr };
  }, 90_000);
  afterAll(async () => {
    await removeTempDir(dir);
  });

  function errorOf(tree: string): string | undefined {
    return run.report?.errors.find((error) => error.file === `${tree}/tsconfig.json`)?.message;
  }

  it('waits on none, and analyses every consumer with default options', () => {
    expect(run.status).toBe(1);
    expect(run.report?.findings.map((finding) => finding.ruleId)).toEqual(Object.keys(TREES).map(() => 'RL002'));
    expect(run.report?.errors.map((error) => error.file).sort()).toEqual(Object.keys(TREES).map((tree) => `${tree}/tsconfig.json`).sort());
    expect(run.stderr).toBe('');
  });

  it.each([
    ['fifo', /^cannot use \/.*\/fifo\/tsconfig\.json: Cannot read file '\/.*\/fifo\/tsconfig\.json': not a regular file\.; analysed with default options$/],
    ['zero', /^cannot use \/.*\/zero\/tsconfig\.json: Cannot read file '\/.*\/zero\/tsconfig\.json': not a regular file\.; analysed with default options$/],
    ['extends-fifo', /^problems in \/.*\/tsconfig\.json: Cannot read file '\/.*\/extends-fifo\/b\.json': not a regular file\.; analysed with what could be read$/],
    ['extends-zero', /^problems in \/.*\/tsconfig\.json: Cannot read file '\/.*\/extends-zero\/b\.json': not a regular file\.; analysed with what could be read$/],
  ])('%s: said, with the reason', (tree, message) => {
    expect(errorOf(tree)).toMatch(message);
  });

  it('says where a file it extends is not JSON, without quoting it (F20)', () => {
    const message = errorOf('extends-secret');
    // Its first syntax error only: the others' places would outline the file.
    expect(message).toMatch(/^problems in \/.*\/tsconfig\.json: extends-secret\/shadow:1:1: '\{' expected\.; analysed with what could be read$/);
    for (const word of ['root', 'daemon', '20250', '99999']) expect(message).not.toContain(word);
  });
});
