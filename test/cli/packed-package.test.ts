/**
 * The package as `npm pack` makes it: it carries sources and build scripts but no binary built on
 * the packing machine; unpacked elsewhere, its install script run as npm runs it on installation,
 * the CLI must scan with a config file (the schema ships), use ringscan (its source ships and the
 * install script builds it) and find the rule documents SARIF embeds, and the runtime check's
 * native half must build from what ships.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packedTarball } from '../package/packed-tarball.js';
import { KERNEL_EQUALITY_C, makeTempDir, REPO_ROOT, removeTempDir, writeTree } from './cli-harness.js';

/** Every file below `dir`, relative to it. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) => statSync(join(dir, path)).isFile());
}

function startsWithElfMagic(path: string): boolean {
  const magic = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    return readSync(fd, magic, 0, 4, 0) === 4 && magic.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } finally {
    closeSync(fd);
  }
}

describe('the packed package', { timeout: 120_000 }, () => {
  let dir: string;
  let unpacked: string;
  let shipped: string[];

  beforeAll(async () => {
    dir = await makeTempDir();
    execFileSync('tar', ['-xzf', await packedTarball(), '-C', dir]);
    unpacked = join(dir, 'package');
    shipped = filesBelow(unpacked);
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(unpacked, 'node_modules'));
    execFileSync('npm', ['run', 'install'], { cwd: unpacked, stdio: 'ignore' });
  }, 120_000);
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

  it('carries no binary built on the packing machine, and the sources and scripts that build them', () => {
    // The working tree has them all built: the package must leave them out, not merely lack them.
    expect(existsSync(join(REPO_ROOT, 'native-check', 'build', 'libringemu.so'))).toBe(true);
    expect(existsSync(join(REPO_ROOT, 'dist', 'native', 'ringscan'))).toBe(true);
    const binaries = shipped.filter((path) => /\.(node|so|o|a|wasm)$/.test(path) || startsWithElfMagic(join(unpacked, path)));
    expect(binaries).toEqual([]);
    expect(shipped.filter((path) => /^(native-check|src\/native)\//.test(path)).sort()).toEqual([
      'native-check/README.md',
      'native-check/build.sh',
      'native-check/output-scan.c',
      'native-check/ringemu.c',
      'native-check/ringlint-wire.h',
      'native-check/sandbox.c',
      'native-check/traffic.c',
      'src/native/build.sh',
      'src/native/ringscan.c',
    ]);
  });

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

  it("builds the runtime check's emulator, traffic generator, sandbox and output scanner with `npm run build:native`", () => {
    execFileSync('npm', ['run', 'build:native'], { cwd: unpacked, stdio: 'ignore' });
    const built = join(unpacked, 'native-check', 'build');
    // The fixture consumers are the repository's tests: they do not ship, and nothing is built for them.
    expect(filesBelow(built).sort()).toEqual(['libringemu.so', 'ringlint-output-scan', 'ringlint-sandbox', 'ringlint-traffic']);
  });
});
