/**
 * Fuzzing pass over what a scanned repository controls (issue 15, item 7): random trees of hostile
 * file names (controls, newlines, `::`, bytes that are not UTF-8, long names), hostile contents
 * (random bytes, UTF-16, C token soup, deep nesting, CR line ends, Markdown), links out of the tree
 * and into loops, FIFOs, and random but valid ignore files, configs and baselines, beside one
 * known-bad consumer. Each tree is run through one random command (scan in every format, --fix,
 * baseline) of the built CLI, which must end on its own, without a stack trace or an internal
 * error, still reporting (or fixing, or recording) the known-bad consumer, and changing nothing
 * outside the tree. Seeded: a failure names its seed and path, which replay it (RINGLINT_FUZZ_KEEP=1
 * keeps the trees). The config and baseline readers are fuzzed in process too, on many more inputs.
 *
 * The crashes and hangs it found are fixed with their own regression tests (config.test.ts: a
 * `null` config, globs with many wildcards).
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaselineError, readBaseline } from '../../src/baseline/baseline-file.js';
import { FINGERPRINT_VERSION } from '../../src/baseline/fingerprint.js';
import { ConfigError, parseConfig } from '../../src/config/config-file.js';
import { reportedPathFilter } from '../../src/config/path-filter.js';
import { makeTempDir, removeTempDir, runCli } from './cli-harness.js';

const KNOWN_BAD = '#include <linux/if_packet.h>\nvoid f(struct tpacket2_hdr *h)\n{\n\tif (h->tp_status != TP_STATUS_KERNEL)\n\t\tg();\n}\n';
/** CI runs 12 trees of one seed (~10 s); RINGLINT_FUZZ_RUNS and RINGLINT_FUZZ_SEED fuzz longer by hand. */
const SEED = Number(process.env.RINGLINT_FUZZ_SEED ?? 20261203);
const RUNS = Number(process.env.RINGLINT_FUZZ_RUNS ?? 12);

const C_TOKENS = [
  'struct tpacket2_hdr *h;', 'h->tp_status', '==', '!=', '&', '(', ')', '{', '}', ';', 'TP_STATUS_KERNEL', 'TP_STATUS_USER',
  '#define S(h) ((h)->tp_status)', '#if 1', '#endif', '#include "k.c"', '#include "zz.h"', 'if', 'while', 'return', '0', '\n', '"', "'",
  '/*', '*/', '//', '\\\n', '\r', '\u00e9', 'S(h)', 'block_status', 'void f(struct tpacket2_hdr *h)', 'g();', '?', ':', '/* ringlint-disable RL001 */',
];

/** A path segment's bytes: printable, hostile or not UTF-8; never '/', NUL, '.' or '..'. */
const nameBytes = fc
  .oneof(
    fc.constantFrom('sub', 'a\n::error file=x.c::INJECTED\n', 'b\u001b]0;T\u0007', '##[warning]x', '`tick`|[l](u)', ' lead', '-', 'é', '\u202e'),
    fc.string({ minLength: 1, maxLength: 12 }),
    fc.constant('d'.repeat(200)),
  )
  .map((text) => Buffer.from(text, 'utf8'))
  .chain((bytes) => fc.oneof(fc.constant(bytes), fc.uint8Array({ minLength: 1, maxLength: 4 }).map((extra) => Buffer.concat([bytes, Buffer.from(extra)]))))
  .map((bytes) => Buffer.from(bytes.filter((byte) => byte !== 0x2f && byte !== 0)))
  .filter((bytes) => bytes.length > 0 && bytes.length <= 240 && !['.', '..'].includes(bytes.toString('latin1')));

const cText = fc.array(fc.constantFrom(...C_TOKENS), { maxLength: 80 }).map((tokens) => tokens.join(' '));
const content = fc.oneof(
  cText.map((text) => Buffer.from(text)),
  fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes)),
  cText.map((text) => Buffer.from(`\ufeff${KNOWN_BAD}${text}`, 'utf16le')),
  fc.integer({ min: 1, max: 3000 }).map((depth) => Buffer.from(`void f(struct tpacket2_hdr *h){${'{'.repeat(depth)}if (h->tp_status == 0) g();`)),
  fc.constant(Buffer.from(KNOWN_BAD.replaceAll('\n', '\r'))),
  cText.map((text) => Buffer.from(`# doc\n\n\`\`\`c\n${text}\n\`\`\`\n> \`\`\`c\n> ${text}\n`)),
  fc.integer({ min: 1, max: 400 }).map((count) => Buffer.from(`void f(struct tpacket2_hdr *h){ ${'if (h->tp_status == 0) g(); '.repeat(count)}}`)),
);

const entry = fc.record({
  directories: fc.array(nameBytes, { maxLength: 3 }),
  name: nameBytes,
  extension: fc.constantFrom('.c', '.h', '.md', '.rst', '.txt', ''),
  content,
});

/** Ignore patterns that may be anything but never match k.c (the known-bad consumer must stay scanned). */
const ignoreLine = fc.oneof(fc.constantFrom('*.txt', 'sub/', '!sub/x.c', '# c', '\\#x', '**/deep/**', '[', 'zz[!', ''), fc.string({ maxLength: 20 }).map((text) => `zz${text.replace(/\n/g, '')}`));
const config = fc.record(
  {
    exclude: fc.array(fc.oneof(fc.constantFrom('vendor/**', '**/*.md', 'sub/*', '{a,b}/*.h', '[', '**/*.{c,h}x'), fc.string({ minLength: 1, maxLength: 30 }).map((text) => `zz${text}`)), { maxLength: 3 }),
    rules: fc.dictionary(fc.constantFrom('RL002', 'RL005', 'mask-precedence', 'ringlint/release-without-ordering'), fc.constantFrom('off', 'warn', 'error', 0, 1, 2), { maxKeys: 3 }),
  },
  { requiredKeys: [] },
);
const baselineEntries = fc.array(
  fc.record({ fingerprint: fc.string({ maxLength: 40 }), ruleId: fc.constantFrom('RL001', 'RL005'), file: fc.oneof(fc.string(), fc.constant('a\n::error::X')), line: fc.integer() }),
  { maxLength: 4 },
);
const command = fc.constantFrom(
  ['scan', '--format', 'text'], ['scan', '--format', 'json'], ['scan', '--format', 'sarif'], ['scan', '--format', 'github'],
  ['scan', '--format', 'markdown'], ['scan', '--format', 'rdjson'], ['scan', '--fix'], ['baseline', '--output', 'written-baseline.json'],
);

const tree = fc.record({
  entries: fc.array(entry, { maxLength: 8 }),
  links: fc.subarray(['out.c -> ../outside/secret.c', 'loop.c -> loop.c', 'dir-loop -> .', 'dangling.h -> missing.h', 'up -> ..'] as const),
  fifo: fc.boolean(),
  gitignore: fc.option(fc.array(ignoreLine, { maxLength: 5 }), { nil: undefined }),
  config: fc.option(config, { nil: undefined }),
  baseline: fc.option(baselineEntries, { nil: undefined }),
  command,
});

/** Every entry under `path` (names as bytes), its kind, size and mtime: what must not change outside the tree. */
function snapshot(path: Buffer): string[] {
  const listing: string[] = [];
  for (const name of readdirSync(path, { encoding: 'buffer' })) {
    const child = Buffer.concat([path, Buffer.from('/'), name]);
    const stats = lstatSync(child);
    listing.push(`${child.toString('hex')} ${stats.mode} ${stats.size} ${stats.mtimeMs}`);
    if (stats.isDirectory()) listing.push(...snapshot(child));
  }
  return listing.sort();
}

describe('fuzzing: hostile trees through the CLI', { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    mkdirSync(join(dir, 'outside'));
    writeFileSync(join(dir, 'outside', 'secret.c'), KNOWN_BAD);
  });
  afterAll(async () => {
    if (!process.env.RINGLINT_FUZZ_KEEP) await removeTempDir(dir);
  });

  it('ends on its own, without a crash, still reports the known-bad consumer, and changes nothing outside the tree', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(tree, async (generated) => {
        const root = join(dir, `tree-${round++}`);
        mkdirSync(root);
        writeFileSync(join(root, 'k.c'), KNOWN_BAD);
        for (const file of generated.entries) {
          let parent = Buffer.from(root);
          for (const directory of file.directories) {
            parent = Buffer.concat([parent, Buffer.from('/'), directory]);
            try {
              mkdirSync(parent);
            } catch {
              // Already there, or a file of that name: the entry goes beside it.
            }
          }
          const path = Buffer.concat([parent, Buffer.from('/'), file.name, Buffer.from(file.extension)]);
          try {
            if (statSync(parent).isDirectory() && path.toString('latin1') !== join(root, 'k.c')) writeFileSync(path, file.content);
          } catch {
            // A name the file system refuses (too long): the tree goes without it.
          }
        }
        for (const link of generated.links) {
          const [name, target] = link.split(' -> ') as [string, string];
          symlinkSync(target, join(root, name));
        }
        if (generated.fifo) spawnSync('mkfifo', [join(root, 'pipe.c')]);
        if (generated.gitignore) writeFileSync(join(root, '.gitignore'), generated.gitignore.join('\n'));
        if (generated.config) writeFileSync(join(root, 'ringlint.config.json'), JSON.stringify({ ...generated.config, ...(generated.baseline ? { baseline: 'bl.json' } : {}) }));
        if (generated.baseline) writeFileSync(join(root, 'bl.json'), JSON.stringify({ version: 1, fingerprintVersion: FINGERPRINT_VERSION, entries: generated.baseline }));
        const outsideBefore = snapshot(Buffer.from(join(dir, 'outside')));
        const siblingsBefore = readdirSync(dir).filter((name) => !name.startsWith('tree-')).sort();

        const run = await runCli([...generated.command, ...(generated.command[0] === 'scan' ? ['--no-cache'] : [])], { cwd: root, deadlineMs: 30_000 });
        const context = `${generated.command.join(' ')} in ${root}\n${run.stderr}`;
        expect(run.signal, context).toBeUndefined();
        expect(run.stderr, context).not.toMatch(/\n\s+at |internal error|Unhandled|TypeError|RangeError/);
        if (generated.command[0] === 'baseline') {
          expect(run.code, context).toBe(0);
          expect(readFileSync(join(root, 'written-baseline.json'), 'utf8'), context).toContain('"file": "k.c"');
        } else if (generated.command[1] === '--fix') {
          expect([0, 1], context).toContain(run.code);
          expect(readFileSync(join(root, 'k.c'), 'utf8'), context).toContain('TP_STATUS_USER');
        } else {
          // A baseline may name k.c's finding only by chance of a random fingerprint: never.
          expect(run.code, context).toBe(1);
          expect(run.stdout, context).toMatch(/k\.c/);
          expect(run.stdout, context).toMatch(/RL001|kernel-equality/);
        }
        expect(snapshot(Buffer.from(join(dir, 'outside'))), context).toEqual(outsideBefore);
        expect(readdirSync(dir).filter((name) => !name.startsWith('tree-')).sort(), context).toEqual(siblingsBefore);
      }),
      {
        numRuns: RUNS,
        seed: SEED,
        endOnFailure: true, // each run is a CLI run: no shrinking
        // The failure, its seed and path, without fast-check's print of every byte of the tree.
        reporter: (details) => {
          if (details.failed) throw new Error(`seed ${details.seed}, path ${details.counterexamplePath}: ${String(details.errorInstance)}`);
        },
      },
    );
  });
});

describe('fuzzing: config and baseline files in process', () => {
  const keys = fc.constantFrom(
    'include', 'exclude', 'rules', 'baseline', 'check', '$schema', '__proto__', 'constructor', 'toString', 'RL001', 'kernel-equality',
    'seed', 'delayUs', 'packets', 'inProgress', 'stallMs', 'version', 'fingerprintVersion', 'entries', 'fingerprint', 'ruleId', 'file', 'line',
  );
  const leaf = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('off', 'warn', 'error', 0, 2, -1, 1e308, 'RL001', '**', '*a*b', '../x', '[', '{a,'));
  const value = fc.letrec((tie) => ({ node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(keys, tie('node'), { maxKeys: 5 })) })).node;
  const text = fc.oneof(value.map((json) => JSON.stringify(json)), fc.dictionary(keys, value, { maxKeys: 6 }).map((json) => JSON.stringify(json)), fc.string(), fc.string().map((tail) => `{"rules": {${tail}`));

  it('a config is read or refused with a ConfigError, and its globs then match any path', async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.string(), async (config, path) => {
        let parsed;
        try {
          parsed = await parseConfig(config, 'c.json');
        } catch (error) {
          if (error instanceof ConfigError) return;
          throw error;
        }
        const reported = reportedPathFilter({ config: parsed, path: '/r/c.json' }, '/r');
        expect(typeof reported(`${path}.c`)).toBe('boolean');
      }),
      { numRuns: 2000, seed: SEED },
    );
  });

  it('a baseline is read or refused with a BaselineError', async () => {
    const dir = await makeTempDir();
    const entry = fc.record({ fingerprint: fc.oneof(fc.string(), fc.integer()), ruleId: fc.constantFrom('RL001', 'RL009', 'toString', '__proto__'), file: fc.string(), line: fc.oneof(fc.integer(), fc.double()) }, { requiredKeys: [] });
    const baseline = fc.oneof(text, fc.record({ version: fc.constantFrom(1, 2, -1), fingerprintVersion: fc.constantFrom(FINGERPRINT_VERSION, 'x'), entries: fc.array(entry, { maxLength: 4 }) }, { requiredKeys: [] }).map((json) => JSON.stringify(json)));
    try {
      await fc.assert(
        fc.asyncProperty(baseline, async (content) => {
          writeFileSync(join(dir, 'b.json'), content);
          await readBaseline(join(dir, 'b.json')).catch((error: unknown) => {
            if (!(error instanceof BaselineError)) throw error;
          });
        }),
        { numRuns: 1000, seed: SEED },
      );
    } finally {
      await removeTempDir(dir);
    }
  });
});
