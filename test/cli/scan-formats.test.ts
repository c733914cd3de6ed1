import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../../src/rules/catalog.js';
import { KERNEL_EQUALITY_C, MACRO_KERNEL_EQUALITY_C, REPO_ROOT, makeTempDir, removeTempDir, runCli, scanJson, writeTree } from './cli-harness.js';

// A CommonJS module: under NodeNext the class is its `default` property.
const Ajv = AjvDraft04.default;
// SARIF's official 2.1.0 schema (draft-04), as shipped by Microsoft's jest-sarif package.
const SARIF_SCHEMA_PATH = join(REPO_ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const ANSI_ESCAPE = /\u001b\[/;

describe('ringlint scan output formats', { timeout: 30_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    await writeTree(dir, {
      'src/consumer.c': KERNEL_EQUALITY_C,
      'src/macro.c': MACRO_KERNEL_EQUALITY_C,
      'broken.c': Uint8Array.from([0, 0, 0]),
    });
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('prints exactly the JSON contract', async () => {
    const { run, report } = await scanJson([], { cwd: dir });
    expect(run.stdout.startsWith('{\n  "version": ')).toBe(true);
    expect(Object.keys(report)).toEqual(['version', 'findings', 'filesScanned', 'filesParsed', 'elapsedMs', 'errors']);
    expect(report.filesScanned).toBe(3);
    expect(report.errors).toEqual([{ file: 'broken.c', message: 'binary file, skipped' }]);
    expect(report.findings.length).toBeGreaterThan(0);
    for (const finding of report.findings) {
      expect(Object.keys(finding)).toEqual([
        'ruleId', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'related',
      ]);
      for (const related of finding.related) expect(Object.keys(related)).toEqual(['file', 'line', 'column', 'message']);
    }
    const rl001 = report.findings.find((finding) => finding.ruleId === 'RL001');
    expect(rl001).toMatchObject({ severity: 'error', file: 'src/consumer.c', line: 2 });
    const throughMacro = report.findings.find((finding) => finding.file === 'src/macro.c');
    expect(throughMacro).toMatchObject({ ruleId: 'RL001', line: 3 });
    expect(throughMacro!.related.some((related) => related.file === 'src/macro.c' && related.line === 1)).toBe(true);
  });

  it('prints SARIF 2.1.0 that validates against the official schema', async () => {
    const run = await runCli(['scan', '--format', 'sarif'], { cwd: dir });
    expect(run.code).toBe(1);
    const log = JSON.parse(run.stdout) as SarifLog;
    const schema = JSON.parse(await readFile(SARIF_SCHEMA_PATH, 'utf8')) as object;
    // The schema's patterns predate the u flag, and its "uri" formats need no extra package to trust.
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);

    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const [sarifRun] = log.runs;
    const driver = sarifRun!.tool.driver;
    expect(driver.name).toBe('ringlint');
    expect(driver.rules.map((rule) => rule.id)).toEqual(RULES.map((rule) => rule.id));
    for (const rule of driver.rules) {
      const meta = RULES.find((candidate) => candidate.id === rule.id)!;
      expect(rule.help.text).toBe(`${meta.summary} Why: ${meta.why}. See ${rule.helpUri}`);
      expect(rule.helpUri).toMatch(/^https:\/\/github\.com\/ringlint\/ringlint\/blob\/main\/rules\/RL00\d-/);
      expect(rule.help.markdown.length).toBeGreaterThan(0);
      expect(['error', 'warning']).toContain(rule.defaultConfiguration.level);
    }
    expect(sarifRun!.originalUriBaseIds['%SRCROOT%']?.uri).toMatch(/^file:\/\/.*\/$/);

    const result = sarifRun!.results.find((candidate) => candidate.ruleId === 'RL001');
    expect(result).toBeDefined();
    expect(driver.rules[result!.ruleIndex]?.id).toBe('RL001');
    expect(result!.level).toBe('error');
    const location = result!.locations[0]!.physicalLocation;
    const viaMacro = sarifRun!.results.find((candidate) => candidate.locations[0]!.physicalLocation.artifactLocation.uri === 'src/macro.c');
    expect(viaMacro?.relatedLocations.length).toBeGreaterThan(0);
    expect(viaMacro?.relatedLocations[0]).toMatchObject({ id: 1, message: { text: expect.any(String) } });
    expect(location.artifactLocation).toEqual({ uri: 'src/consumer.c', uriBaseId: '%SRCROOT%' });
    expect(location.region.startLine).toBe(2);

    // Code scanning tracks results by fingerprint, walks the flow from read to decision, offers the fix.
    expect(result!.partialFingerprints['ringlint/v1']).toMatch(/^[0-9a-f]{32}:0$/);
    expect(result!.fixes?.[0]?.artifactChanges[0]?.replacements[0]).toEqual({
      deletedRegion: { startLine: 2, startColumn: 6, endLine: 2, endColumn: 38 },
      insertedContent: { text: '(h->tp_status & TP_STATUS_USER) != 0' },
    });
    // GitHub shows related locations that the message links to (SARIF §3.11.6 embedded links).
    expect(viaMacro!.message.text).toBe(
      'slot ownership decided by != TP_STATUS_KERNEL in SLOT_IS_MINE; test the TP_STATUS_USER bit ' +
        '(see [in expansion of macro SLOT_IS_MINE](1), [decided here: != TP_STATUS_KERNEL](2))',
    );
    expect(viaMacro!.relatedLocations.map((related) => related.id)).toEqual([1, 2]);
    expect(result!.message.text).toBe('slot ownership decided by != TP_STATUS_KERNEL; test the TP_STATUS_USER bit');
    const macroFlow = viaMacro!.codeFlows?.[0]?.threadFlows[0]?.locations.map((step) => step.location.message.text);
    // The read and the decision start at the same place here, so the decision step stands for both.
    expect(macroFlow?.slice(0, 2)).toEqual(['in expansion of macro SLOT_IS_MINE', 'decided here: != TP_STATUS_KERNEL']);
    expect(macroFlow?.at(-1)).toBe('the ownership decision is used here');
    expect(viaMacro!.fixes?.[0]?.artifactChanges[0]?.artifactLocation.uri).toBe('src/macro.c');
    expect(viaMacro!.fixes?.[0]?.artifactChanges[0]?.replacements[0]?.deletedRegion.startLine).toBe(1);

    const invocation = sarifRun!.invocations[0]!;
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.toolExecutionNotifications).toEqual([
      {
        level: 'warning',
        message: { text: 'binary file, skipped' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'broken.c', uriBaseId: '%SRCROOT%' } } }],
      },
    ]);
  });

  it('prints gcc-style diagnostics: a headline, a code frame, located notes with a frame where the fix goes, help and a summary', async () => {
    const run = await runCli(['scan'], { cwd: dir });
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    const header = lines.indexOf('src/consumer.c:2:6: error: slot ownership decided by != TP_STATUS_KERNEL; test the TP_STATUS_USER bit [RL001]');
    expect(header).toBeGreaterThanOrEqual(0);
    expect(lines[header + 1]).toBe(' 2 | \tif (h->tp_status != TP_STATUS_KERNEL) return 1;');
    expect(lines[header + 2]).toMatch(/^ {3}\| \t *\^~+$/);
    // Why the rule matters, once: under its first finding only.
    expect(lines[header + 3]).toBe(`  = help: ${RULES[0]!.why}`);
    expect(run.stdout.split(RULES[0]!.why).length).toBe(2);
    expect(lines[header + 4]).toBe('  = help: --fix rewrites src/consumer.c:2:6 to (h->tp_status & TP_STATUS_USER) != 0');
    const macro = lines.indexOf('src/macro.c:3:6: error: slot ownership decided by != TP_STATUS_KERNEL in SLOT_IS_MINE; test the TP_STATUS_USER bit [RL001]');
    expect(lines.slice(macro + 1, macro + 9)).toEqual([
      ' 3 | \tif (SLOT_IS_MINE(h)) return 1;',
      '   | \t    ^~~~~~~~~~~~~~~',
      'src/macro.c:1:1: note: in expansion of macro SLOT_IS_MINE',
      'src/macro.c:1:27: note: decided here: != TP_STATUS_KERNEL',
      ' 1 | #define SLOT_IS_MINE(h) ((h)->tp_status != TP_STATUS_KERNEL)',
      '   |                           ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '  = help: --fix rewrites src/macro.c:1:26 to ((h)->tp_status & TP_STATUS_USER) != 0',
      '',
    ]);
    expect(run.stdout).toContain('\n2 problems (2 errors, 0 warnings) in 3 files scanned; 2 fixable with --fix\n');
    expect(run.stdout).toContain('1 file could not be analysed in full:\n  broken.c: binary file, skipped\n');
  });

  it("matches VS Code's $gcc problem matcher: one problem per finding, with its place, severity, headline and rule", async () => {
    // The `$gcc` pattern of ms-vscode.cpptools (package.json, problemMatchers), as VS Code applies it line by line.
    const GCC = /^(.*?):(\d+):(\d*):?\s+(?:fatal\s+)?(warning|error):\s+(.*)$/;
    const warning = await makeTempDir();
    try {
      // A warning too (RL005: a plain read gates frame access), so both severities are seen.
      await writeTree(warning, {
        'src/consumer.c': KERNEL_EQUALITY_C,
        'src/macro.c': MACRO_KERNEL_EQUALITY_C,
        'src/plain.c': 'int g(struct tpacket2_hdr *h, char *out) {\n\tif (h->tp_status & TP_STATUS_USER) { *out = *((char *)h + h->tp_mac); return 1; }\n\treturn 0;\n}\n',
      });
      const { report } = await scanJson([], { cwd: warning });
      expect(new Set(report.findings.map((finding) => finding.severity))).toEqual(new Set(['error', 'warning']));
      const run = await runCli(['scan'], { cwd: warning });
      const problems = run.stdout.split('\n').flatMap((line) => {
        const match = GCC.exec(line);
        return match ? [{ file: match[1], line: Number(match[2]), column: Number(match[3]), severity: match[4], message: match[5] }] : [];
      });
      expect(problems).toEqual(
        report.findings.map((finding) => ({
          file: finding.file,
          line: finding.line,
          column: finding.column,
          severity: finding.severity,
          message: `${finding.message} [${finding.ruleId}]`,
        })),
      );
    } finally {
      await removeTempDir(warning);
    }
  });

  it('underlines exactly the reported span', async () => {
    const { report } = await scanJson([], { cwd: dir });
    const finding = report.findings.find((candidate) => candidate.ruleId === 'RL001')!;
    const run = await runCli(['scan'], { cwd: dir });
    const lines = run.stdout.split('\n');
    const marker = lines[lines.findIndex((line) => line.startsWith('src/consumer.c:2:')) + 2]!;
    const underline = marker.slice(marker.indexOf('| ') + 2);
    expect(underline.indexOf('^')).toBe(finding.column - 1);
    expect(underline.trimStart().length).toBe(finding.endColumn - finding.column);
  });

  it('writes no escape codes to a pipe or under NO_COLOR, and colours under FORCE_COLOR', async () => {
    const piped = await runCli(['scan'], { cwd: dir });
    expect(piped.stdout).not.toMatch(ANSI_ESCAPE);
    const noColor = await runCli(['scan'], { cwd: dir, env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(noColor.stdout).not.toMatch(ANSI_ESCAPE);
    const forced = await runCli(['scan'], { cwd: dir, env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(ANSI_ESCAPE);
  });

  it('writes the report to --output instead of standard output', async () => {
    const run = await runCli(['scan', '--format', 'json', '--output', 'report.json'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const written = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as { filesScanned: number };
    expect(written.filesScanned).toBe(3);
  });
});

/** The parts of a SARIF log these tests read. */
interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: {
      driver: {
        name: string;
        rules: Array<{ id: string; helpUri: string; help: { text: string; markdown: string }; defaultConfiguration: { level: string } }>;
      };
    };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      relatedLocations: Array<{ id: number; message: { text: string } }>;
      partialFingerprints: Record<string, string>;
      codeFlows?: Array<{ threadFlows: Array<{ locations: Array<{ location: { message: { text: string } } }> }> }>;
      fixes?: Array<{
        artifactChanges: Array<{
          artifactLocation: { uri: string };
          replacements: Array<{ deletedRegion: { startLine: number }; insertedContent: { text: string } }>;
        }>;
      }>;
      locations: Array<{
        physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } };
      }>;
    }>;
    invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: unknown[] }>;
  }>;
}
