/**
 * The scan cache is never stale (issue 15, item 4): random sequences of the changes F10 lists —
 * rewrites in place that keep the size and set the mtime back, new, removed and renamed files, an
 * ignore file, a tsconfig.json rewritten in place, a TypeScript helper outside the scanned root —
 * each followed by a cached and an uncached scan, which must agree. Through the package's API as
 * built (`npm test` builds first), in one process: ringscan walks and checks the stamps as in the
 * CLI, and the TypeScript analyzer loads once.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScan } from '../../dist/src/scan/run-scan.js';

const HOUR_AGO = new Date(Date.now() - 3_600_000);

/** C files of one size whatever they decide, so that a rewrite can keep the size. */
const C_VARIANTS = {
  safe: 'void f(struct tpacket2_hdr *h){ if ((h->tp_status & TP_STATUS_USER) != 0) g(); }\n',
  unsafe: 'void f(struct tpacket2_hdr *h){ if (h->tp_status != TP_STATUS_KERNEL    ) g(); }\n',
  plain: 'int add(int a, int b) { return a + b; }                                          \n',
} as const;
type CVariant = keyof typeof C_VARIANTS;

const helper = (name: string, body: string): string => `export function ${name}(h: { tp_status: number }): number {\n  return ${body};\n}\n`;
const poll = (name: string, helperName: string): string =>
  `export function ${name}(h: { tp_status: number }): boolean {\n  if (${helperName}(h) !== 0) return true;\n  return false;\n}\n`;
const tsconfig = (target: 'seven' | 'real'): string => `${JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@ring/h': [`lib/${target}.ts`] } } })}\n`;

/** The scanned root is app/; the tsconfig and the helpers are outside it. */
const TREE: Record<string, string> = {
  'tsconfig.json': tsconfig('seven'),
  'lib/seven.ts': helper('statusOf', '7          '),
  'lib/real.ts': helper('statusOf', 'h.tp_status'),
  'lib/other.ts': helper('otherStatusOf', '7          '),
  'app/a.ts': `import { statusOf } from '@ring/h';\nimport { otherStatusOf } from '../lib/other.js';\n${poll('poll', 'statusOf')}${poll('pollOther', 'otherStatusOf')}`,
  'app/x.c': C_VARIANTS.safe,
  'app/y.c': C_VARIANTS.unsafe,
  'app/sub/z.c': C_VARIANTS.plain,
};

type Change =
  | { kind: 'rewrite'; file: string; variant: CVariant; setMtimeBack: boolean }
  | { kind: 'create'; file: string; variant: CVariant }
  | { kind: 'remove'; file: string }
  | { kind: 'rename'; file: string; to: string }
  | { kind: 'ignore'; patterns: string }
  | { kind: 'tsconfig'; target: 'seven' | 'real' }
  | { kind: 'helper'; body: '7          ' | 'h.tp_status' };

const cFile = fc.constantFrom('app/x.c', 'app/y.c', 'app/sub/z.c');
const variant = fc.constantFrom<CVariant>('safe', 'unsafe', 'plain');
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('rewrite' as const), file: cFile, variant, setMtimeBack: fc.boolean() }),
  fc.record({ kind: fc.constant('create' as const), file: fc.constantFrom('app/new.c', 'app/sub/new.c'), variant }),
  fc.record({ kind: fc.constant('remove' as const), file: cFile }),
  fc.record({ kind: fc.constant('rename' as const), file: cFile, to: fc.constantFrom('app/moved.c', 'app/sub/moved.c') }),
  fc.record({ kind: fc.constant('ignore' as const), patterns: fc.constantFrom('y.c\n', 'sub/\n', '#  \n') }),
  fc.record({ kind: fc.constant('tsconfig' as const), target: fc.constantFrom<'seven' | 'real'>('seven', 'real') }),
  fc.record({ kind: fc.constant('helper' as const), body: fc.constantFrom<'7          ' | 'h.tp_status'>('7          ', 'h.tp_status') }),
);

/** Writes in place (same inode) and sets the file's and its directory's mtime back: only size and ctime can tell. */
async function rewriteInPlace(path: string, text: string): Promise<void> {
  const { atime, mtime } = statSync(path);
  const handle = await open(path, 'r+');
  await handle.truncate(0);
  await handle.write(text, 0);
  await handle.close();
  utimesSync(path, atime, mtime);
}

/** Runs `body` on a path's directory and sets that directory's mtime back after: as `touch -d` would hide it. */
function keepingDirectoryMtime(path: string, body: () => void): void {
  const directory = dirname(path);
  const { atime, mtime } = statSync(directory);
  body();
  utimesSync(directory, atime, mtime);
}

async function apply(root: string, step: Change): Promise<void> {
  const at = (file: string): string => join(root, file);
  const exists = (file: string): boolean => statSync(at(file), { throwIfNoEntry: false }) !== undefined;
  switch (step.kind) {
    case 'rewrite':
      if (!exists(step.file)) return;
      if (step.setMtimeBack) await rewriteInPlace(at(step.file), C_VARIANTS[step.variant]);
      else writeFileSync(at(step.file), C_VARIANTS[step.variant]);
      return;
    case 'create':
      keepingDirectoryMtime(at(step.file), () => writeFileSync(at(step.file), C_VARIANTS[step.variant]));
      utimesSync(at(step.file), HOUR_AGO, HOUR_AGO);
      return;
    case 'remove':
      if (exists(step.file)) keepingDirectoryMtime(at(step.file), () => rmSync(at(step.file)));
      return;
    case 'rename':
      if (exists(step.file)) keepingDirectoryMtime(at(step.to), () => keepingDirectoryMtime(at(step.file), () => renameSync(at(step.file), at(step.to))));
      return;
    case 'ignore':
      if (exists('app/.gitignore')) await rewriteInPlace(at('app/.gitignore'), step.patterns);
      else keepingDirectoryMtime(at('app/.gitignore'), () => writeFileSync(at('app/.gitignore'), step.patterns));
      return;
    case 'tsconfig':
      await rewriteInPlace(at('tsconfig.json'), tsconfig(step.target));
      return;
    case 'helper':
      await rewriteInPlace(at('lib/other.ts'), helper('otherStatusOf', step.body));
      return;
  }
}

/** What a scan reports, as users compare it. */
async function outcome(root: string, cacheDirectory?: string): Promise<{ findings: string[]; errors: string[] }> {
  const report = await runScan({ paths: ['app'], cwd: root, ...(cacheDirectory ? { cacheDirectory } : {}) });
  return {
    findings: report.findings.map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.ruleId} ${finding.message}`),
    errors: report.errors.map((error) => `${error.file}: ${error.message}`),
  };
}

describe('the scan cache under random changes', () => {
  it('answers as an uncached scan does after every change', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(change, { minLength: 1, maxLength: 2 }), async (inGitWorkTree, changes) => {
        const root = mkdtempSync(join(tmpdir(), 'ringlint-cache-property-'));
        try {
          for (const [file, text] of Object.entries(TREE)) {
            mkdirSync(dirname(join(root, file)), { recursive: true });
            writeFileSync(join(root, file), text);
          }
          if (inGitWorkTree) execFileSync('git', ['init', '-q', root]);
          for (const path of [...Object.keys(TREE), 'app/sub', 'app', 'lib', '.']) utimesSync(join(root, path), HOUR_AGO, HOUR_AGO);
          const cache = join(root, '.cache');
          await outcome(root, cache);
          for (const step of changes) {
            await apply(root, step);
            expect({ step, ...(await outcome(root, cache)) }).toEqual({ step, ...(await outcome(root)) });
          }
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 5 },
    );
  });
});
