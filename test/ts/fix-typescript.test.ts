/**
 * `ringlint scan --fix` on TypeScript/JavaScript (issue 18's acceptance): a copy of fixtures/ts is
 * fixed through the CLI, a rescan finds no RL001–RL003 left, a second --fix changes nothing, and
 * the fixed files still pass `tsc --noEmit` (strict, the repository's own TypeScript) — the USER
 * bit written as each file names it.
 */
import { execFile } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir, REPO_ROOT, runCli, scanJson } from '../cli/cli-harness.js';

const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const OWNERSHIP_RULES = ['RL001', 'RL002', 'RL003'];

/** Strict, as a consumer package would be; `types: node` for Buffer and node:module, nothing else ambient. */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023'], strict: true, noEmit: true,
    allowJs: true, skipLibCheck: true, types: ['node'], typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
  },
  include: ['ts/**/*'],
};

async function typeCheck(root: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [TSC, '-p', join(root, 'tsconfig.json')], { cwd: root });
    return { code: 0, output: stdout };
  } catch (error) {
    const { code, stdout } = error as { code: number; stdout: string };
    return { code, output: stdout };
  }
}

describe('ringlint scan --fix on fixtures/ts', { timeout: 180_000 }, () => {
  let root: string;
  beforeAll(async () => {
    root = await makeTempDir();
    await cp(join(REPO_ROOT, 'fixtures', 'ts'), join(root, 'ts'), { recursive: true });
    await writeFile(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
    await writeFile(join(root, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  });
  afterAll(async () => {
    await removeTempDir(root);
  });

  it('type-checks before the fix (the oracle is meaningful)', async () => {
    const checked = await typeCheck(root);
    expect(checked.output).toBe('');
    expect(checked.code).toBe(0);
  });

  it('leaves no RL001-RL003, changes nothing the second time, and still type-checks', async () => {
    const before = await scanJson(['ts', '--no-cache'], { cwd: root });
    const ownershipBefore = before.report.findings.filter((finding) => OWNERSHIP_RULES.includes(finding.ruleId));
    expect(ownershipBefore.length).toBeGreaterThan(40);

    const fixed = await runCli(['scan', 'ts', '--fix', '--no-cache', '--quiet'], { cwd: root });
    expect(fixed.stderr).toMatch(/^ringlint: fixed \d+ findings in \d+ files\n/);

    const after = await scanJson(['ts', '--no-cache'], { cwd: root });
    expect(after.report.errors).toEqual([]);
    const left = after.report.findings.filter((finding) => OWNERSHIP_RULES.includes(finding.ruleId));
    expect(left.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId} ${finding.message}`)).toEqual([]);
    // Everything else kept: RL005-RL007 are not rewritten.
    const others = (findings: typeof before.report.findings) => findings.filter((finding) => !OWNERSHIP_RULES.includes(finding.ruleId)).length;
    expect(others(after.report.findings)).toBe(others(before.report.findings));

    const text = await readFile(join(root, 'ts', 'binding', 'consumer.ts'), 'utf8');
    expect(text).toContain('if ((tp_status & RingStatus.User) === 0) return;');
    expect(text).toContain('if (((frame?.tpStatus ?? 0) & RingStatus.User) !== 0)');
    expect(text).toContain('return (frame.tpStatus & RingStatus.User) as unknown as boolean;');
    expect(await readFile(join(root, 'ts', 'direct', 'struct-wrapper.ts'), 'utf8')).toContain('switch (h.tp_status & TP_STATUS_USER) {');
    expect(await readFile(join(root, 'ts', 'runtimes', 'bun-ffi.ts'), 'utf8')).toContain('(read.u32(ring, base + STATUS_OFFSET) & 1 /* TP_STATUS_USER */) !== 0');

    const again = await runCli(['scan', 'ts', '--fix', '--no-cache', '--quiet'], { cwd: root });
    expect(again.stderr).not.toContain('fixed');

    const checked = await typeCheck(root);
    expect(checked.output).toBe('');
    expect(checked.code).toBe(0);
  });
});
