/**
 * One suppression syntax everywhere, seen from ESLint: `ringlint-disable-…` comments (written for
 * `ringlint scan`) hide findings in ESLint too, in C and in TS, with rules named by id, name or
 * ESLint name; malformed ones are reported as the CLI reports them. ESLint's own `eslint-disable`
 * comments stay ESLint's to apply, so it still tells used from unused ones.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/eslint/plugin.js';

let project: string;
let eslint: ESLint;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'ringlint-eslint-suppressions-'));
  eslint = new ESLint({
    cwd: project,
    overrideConfigFile: true,
    overrideConfig: [plugin.configs.recommended, plugin.configs.c, { linterOptions: { reportUnusedDisableDirectives: 'error' } }],
  });
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function lint(text: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: join(project, file) });
  return (result?.messages ?? []).map((message) => `${message.line} ${message.ruleId ?? 'eslint'}: ${message.message}`);
}

const rules = (messages: string[]): string[] => messages.map((message) => message.slice(0, message.indexOf(':')));

const C_CONSUMER = (...lines: string[]): string => `#include <linux/if_packet.h>\nint read_frame(struct tpacket2_hdr *h)\n{\n${lines.join('\n')}\n\treturn 0;\n}\n`;
const C_UNSAFE = '\tif (h->tp_status != TP_STATUS_KERNEL) return h->tp_len;';
const TS_PRELUDE = 'const TP_STATUS_USER = 1; interface Hdr { tp_status: number; tp_len: number }\n';
const TS_UNSAFE = 'export const f = (h: Hdr) => h.tp_status === TP_STATUS_USER;';

describe('ringlint-disable comments in ESLint', { timeout: 60_000 }, () => {
  it('hide the named rule on the next line of a C file, and only that rule', async () => {
    expect(rules(await lint(C_CONSUMER(C_UNSAFE), 'plain.c'))).toEqual(['4 ringlint/kernel-equality', '4 ringlint/status-read-without-acquire']);
    const suppressed = await lint(C_CONSUMER('\t// ringlint-disable-next-line RL001 -- the ring is replayed from a capture', C_UNSAFE), 'next-line.c');
    expect(rules(suppressed)).toEqual(['5 ringlint/status-read-without-acquire']);
  });

  it('hide a rule in the whole C file', async () => {
    const messages = await lint(`/* ringlint-disable-file RL005 -- single-threaded replay */\n${C_CONSUMER(C_UNSAFE)}`, 'file.c');
    expect(rules(messages)).toEqual(['5 ringlint/kernel-equality']);
  });

  it.each([
    ['its id', 'RL003'],
    ['its name', 'exact-user-equality'],
    ['its ESLint name', 'ringlint/exact-user-equality'],
  ])('name the rule in TS by %s', async (_how, reference) => {
    expect(rules(await lint(`${TS_PRELUDE}${TS_UNSAFE}`, 'plain.ts'))).toEqual(['2 ringlint/exact-user-equality']);
    expect(await lint(`${TS_PRELUDE}// ringlint-disable-next-line ${reference} -- frames never carry flags here\n${TS_UNSAFE}`, 'named.ts')).toEqual([]);
  });

  it('report one without a reason or naming an unknown rule, as the CLI does, and suppress nothing with it', async () => {
    const messages = await lint(`${TS_PRELUDE}// ringlint-disable-next-line RL003\n${TS_UNSAFE}\n// ringlint-disable-next-line RL999 -- typo\nexport const g = 1;\n`, 'malformed.ts');
    expect(messages).toEqual([
      '2 ringlint/kernel-equality: ringlint-disable-next-line RL003 has no reason ("-- why"), so it suppresses nothing',
      '3 ringlint/exact-user-equality: ' + messages[1]!.slice(messages[1]!.indexOf(': ') + 2),
      '4 ringlint/kernel-equality: ringlint-disable-next-line names an unknown rule "RL999"',
    ]);
  });

  it('leave an unused one unreported (ESLint sees one file at a time; ringlint scan reports unused ones)', async () => {
    expect(await lint(`${TS_PRELUDE}// ringlint-disable-next-line RL003 -- kept for the scan\nexport const g = 1;\n`, 'unused.ts')).toEqual([]);
  });
});

describe('eslint-disable comments stay ESLint\'s', { timeout: 60_000 }, () => {
  it('ESLint suppresses the finding and counts the directive as used', async () => {
    expect(await lint(`${TS_PRELUDE}// eslint-disable-next-line ringlint/exact-user-equality -- frames never carry flags here\n${TS_UNSAFE}`, 'used.ts')).toEqual([]);
  });

  it('ESLint reports one that suppresses nothing', async () => {
    const messages = await lint(`${TS_PRELUDE}// eslint-disable-next-line ringlint/exact-user-equality\nexport const g = 1;\n`, 'unused-eslint.ts');
    expect(messages).toEqual([expect.stringMatching(/^2 eslint: Unused eslint-disable directive \(no problems were reported from 'ringlint\/exact-user-equality'\)/)]);
  });
});
