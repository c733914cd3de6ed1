/**
 * The sweep's reproductions of F8 (output that attacks its reader) and F16 (formats that drop the
 * files they could not analyse), through the CLI. The escaping itself, name by name and format by
 * format, is tested in process (test/reporters/hostile-text.test.ts).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINGERPRINT_VERSION } from '../../src/baseline/fingerprint.js';
import { makeTempDir, removeTempDir, runCli, writeTree } from './cli-harness.js';

/** The sweep's `kb`: an RL001 at 4:6. */
const KERNEL_EQUALITY = '#include <linux/if_packet.h>\nvoid f(struct tpacket2_hdr *h)\n{\n\tif (h->tp_status != TP_STATUS_KERNEL)\n\t\tg();\n}\n';

/** A runner executes a line that starts with `::` after whitespace, and the legacy `##[` anywhere in one. */
const WORKFLOW_COMMAND = /^\s*::|##\[/mu;
/** What reaches a terminal as a control: any C0 or C1 control but the line feed and the tab. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('output of a hostile tree', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    await writeTree(dir, {
      'a\n::error file=x.c::INJECTED\n.c': KERNEL_EQUALITY,
      'b\u001b]0;T\u0007.c': KERNEL_EQUALITY,
      'frame.c': 'void f(struct tpacket2_hdr *h){ /* \u001b]52;c;cHduZWQ=\u0007 ##[error]x */ if (h->tp_status == 0) g(); }\n',
      'bin.c': Uint8Array.from({ length: 4096 }, (_, index) => (index * 7919) % 256),
    });
    await writeFile(
      join(dir, 'baseline.json'),
      JSON.stringify({
        version: 1,
        fingerprintVersion: FINGERPRINT_VERSION,
        entries: [{ fingerprint: 'gone\u001b[2J', ruleId: 'RL001', file: 'a\n::error::X', line: 1, message: 'm' }],
      }),
    );
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('text: no workflow command and no control, each name on its own headline', async () => {
    const run = await runCli(['scan', '.', '--baseline', 'baseline.json'], { cwd: dir });
    expect(run.code).toBe(1);
    for (const output of [run.stdout, run.stderr]) {
      expect(output).not.toMatch(WORKFLOW_COMMAND);
      expect(output).not.toMatch(CONTROL);
    }
    expect(run.stdout).toMatch(/^a\\n::error file=x\.c::INJECTED\\n\.c:4:6: error: /m);
    expect(run.stdout).toMatch(/^b\\x1b\]0;T\\x07\.c:4:6: error: /m);
    expect(run.stdout).toContain(' 1 | void f(struct tpacket2_hdr *h){ /* \\x1b]52;c;cHduZWQ=\\x07 #\\x23[error]x */ if (h->tp_status == 0) g(); }\n');
    expect(run.stdout).toContain('  bin.c: binary file, skipped');
    expect(run.stderr).toContain('\n  a\\n::error::X:1: RL001 gone\\x1b[2J\n');
  });

  it('markdown: no line of its own for a name, a source line or a baseline entry', async () => {
    const run = await runCli(['scan', '.', '--format', 'markdown', '--baseline', 'baseline.json'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(WORKFLOW_COMMAND);
    expect(run.stdout).not.toMatch(CONTROL);
    expect(run.stdout).toContain('| `a\\n::error file=x.c::INJECTED\\n.c:4` |');
    expect(run.stdout).toContain('- `a\\n::error::X:1` RL001');
    expect(run.stdout).toContain('- `bin.c`: binary file, skipped');
  });

  it('github and rdjson: the file not analysed is reported (F16)', async () => {
    const github = await runCli(['scan', '.', '--format', 'github'], { cwd: dir });
    expect(github.code).toBe(1);
    const lines = github.stdout.trimEnd().split('\n');
    expect(lines.every((line) => /^::(error|warning) file=/.test(line))).toBe(true);
    expect(lines).toContain('::warning file=bin.c,title=ringlint could not analyse this file in full::binary file, skipped');
    expect(lines).toContain(
      '::error file=a%0A%3A%3Aerror file=x.c%3A%3AINJECTED%0A.c,line=4,col=6,endLine=4,endColumn=38,title=RL001 kernel-equality::' +
        'slot ownership decided by != TP_STATUS_KERNEL; test the TP_STATUS_USER bit',
    );
    const rdjson = await runCli(['scan', '.', '--format', 'rdjson'], { cwd: dir });
    const diagnostics = (JSON.parse(rdjson.stdout) as { diagnostics: Array<{ location: { path: string }; severity: string; message: string }> }).diagnostics;
    expect(diagnostics.filter((diagnostic) => diagnostic.location.path === 'bin.c')).toEqual([
      { message: 'ringlint could not analyse this file in full: binary file, skipped', location: { path: 'bin.c' }, severity: 'WARNING' },
    ]);
  });
});
