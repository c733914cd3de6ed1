/**
 * The human formats against text from a hostile tree (F8, F16): file names, messages quoting code,
 * source lines and baseline entries holding line breaks, terminal escapes, GitHub workflow commands
 * and Markdown syntax. In process, each format at once; test/cli/hostile-output.test.ts runs the
 * reproductions through the CLI.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Finding, ScanReport } from '../../src/model/finding.js';
import { codeFrame } from '../../src/reporters/code-frame.js';
import { formatGithubAnnotations } from '../../src/reporters/github-annotations.js';
import { formatJsonReport } from '../../src/reporters/json-reporter.js';
import { markdownCode, markdownProse } from '../../src/reporters/markdown-text.js';
import { formatMarkdownReport } from '../../src/reporters/markdown-reporter.js';
import { formatRdjsonReport } from '../../src/reporters/rdjson-reporter.js';
import type { RenderContext } from '../../src/reporters/render-context.js';
import { formatNotesText } from '../../src/reporters/report-notes.js';
import { formatSarifReport } from '../../src/reporters/sarif-reporter.js';
import { visiblePath, visibleText } from '../../src/reporters/terminal-text.js';
import { formatTextReport } from '../../src/reporters/text-reporter.js';

/** What the tests read of commonmark.js, CommonMark's reference parser (the package ships no types). */
interface MarkdownNode {
  type: string;
  literal: string | null;
  firstChild: MarkdownNode | null;
  next: MarkdownNode | null;
  walker(): { next(): { entering: boolean; node: MarkdownNode } | null };
}
const commonmark = createRequire(import.meta.url)('commonmark') as {
  Parser: new () => { parse(text: string): MarkdownNode };
  HtmlRenderer: new () => { render(node: MarkdownNode): string };
};

/** Names a hostile tree can hold (every one a legal Linux file name but the empty one). */
const HOSTILE_NAMES = [
  'a\n::error file=x.c::INJECTED\n.c',
  'b\u001b]0;T\u0007.c',
  'c\u001b]52;c;cHduZWQ=\u0007.c',
  '::error file=y.c::Z.c',
  '  ::warning::indented.c',
  '\u00a0::notice::nbsp.c',
  'd\r::error::cr.c',
  'e\u009b31m.c',
  'f ##[error]legacy.c',
  'g`|h`.c',
  'i``j.c',
  '`k.c`',
  'l [link](https://x.invalid) ![img](https://x.invalid/i.png) <img src=x> *em* \\ |.c',
  'm %0A%25,:.c',
];

/** A line a GitHub Actions runner would execute: `::` after leading whitespace, or the legacy `##[` anywhere. */
function isWorkflowCommand(line: string): boolean {
  return /^\s*::/u.test(line) || line.includes('##[');
}

/** C0 and C1 controls other than the line feed that separates lines (and tabs, which code frames keep). */
const CONTROL_BUT_LF_TAB = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

function finding(file: string, message = 'slot ownership decided by != TP_STATUS_KERNEL; test the TP_STATUS_USER bit'): Finding {
  return {
    ruleId: 'RL001',
    severity: 'error',
    file,
    line: 1,
    column: 5,
    endLine: 1,
    endColumn: 9,
    message,
    related: [{ file, line: 1, column: 1, message: `in expansion of macro ${file}`, kind: 'macro' }],
  };
}

function report(findings: Finding[], errorFiles: readonly string[] = []): ScanReport {
  return {
    version: '0.0.0',
    findings,
    filesScanned: findings.length + errorFiles.length,
    filesParsed: findings.length,
    elapsedMs: 1,
    errors: errorFiles.map((file) => ({ file, message: `binary file, skipped ${file}` })),
  };
}

/** What scan and review hand every format (cli/run-output.ts): here nothing beside the report unless given. */
function context(given: Partial<RenderContext> = {}): RenderContext {
  const notes = { suppressionProblems: [], staleBaselineEntries: [] };
  return { cwd: '/tmp', color: false, sourceLine: () => undefined, fingerprints: new Map(), fixes: new Map(), notes, ...given };
}

const SOURCE_LINE = 'if (h->tp_status /* \u001b]52;c;cHduZWQ=\u0007 ##[error]x\r::error::y */ != K) {}';

describe('visibleText', () => {
  it.each([
    ['\n', '\\n'],
    ['\r', '\\r'],
    ['\t', '\\t'],
    ['\u0000', '\\x00'],
    ['\u001b', '\\x1b'],
    ['\u007f', '\\x7f'],
    ['\u0085', '\\u0085'],
    ['\u009b', '\\u009b'],
    ['##[error]', '#\\x23[error]'],
    ['###[', '##\\x23['],
    ['é ü € 🙂 \u00a0', 'é ü € 🙂 \u00a0'],
  ])('shows %j as %j', (raw, shown) => {
    expect(visibleText(raw)).toBe(shown);
  });

  it('leaves no C0 or C1 control in any string', () => {
    const every = Array.from({ length: 0xa0 }, (_, code) => String.fromCharCode(code)).join('');
    expect(visibleText(every)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    // A code frame's source line keeps its tabs, so that the marker under it lines up.
    expect(codeFrame(every, 1, 1, 2, 1).source).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
    expect(codeFrame('\tx\t', 1, 1, 2, 1).source).toBe('\tx\t');
  });

  it('shows a path that would start a line with :: as ./::…, the same file', () => {
    expect(visiblePath('::error::x.c')).toBe('./::error::x.c');
    expect(visiblePath(' \u00a0::x.c')).toBe('./ \u00a0::x.c');
    expect(visiblePath('src/::x.c')).toBe('src/::x.c');
    expect(visiblePath('a:b.c')).toBe('a:b.c');
  });
});

describe('codeFrame', () => {
  it('marks the same characters however wide the escapes before and in the span are', () => {
    const line = 'a\u001b]0;T\u0007 ##[x] h->tp_\u0085status != K';
    const start = line.indexOf('h->');
    const end = line.indexOf(' !=');
    const frame = codeFrame(line, start + 1, 1, end + 1, 1);
    expect(frame.source).toBe('a\\x1b]0;T\\x07 #\\x23[x] h->tp_\\u0085status != K');
    expect(frame.source.slice(frame.markerIndent.length, frame.markerIndent.length + frame.markerWidth)).toBe('h->tp_\\u0085status');
  });

  it('escapes a ##[ cut by the span as in the whole line', () => {
    const line = 'x ##[y';
    const frame = codeFrame(line, 4, 1, 6, 1); // the span starts at the second #
    expect(frame.source).toBe('x #\\x23[y');
    expect(frame.source.slice(frame.markerIndent.length, frame.markerIndent.length + frame.markerWidth)).toBe('\\x23[');
  });
});

describe('the text format', () => {
  it('prints every hostile name on the line it belongs to, with no control and no workflow command', () => {
    const findings = HOSTILE_NAMES.map((name) => finding(name, `\`==\` binds tighter than \`&\` in \`${name}\``));
    const text = formatTextReport(report(findings, HOSTILE_NAMES), context({
      sourceLine: () => SOURCE_LINE,
      fixes: new Map(findings.map((one) => [one, { file: one.file, startLine: 1, startColumn: 5, endLine: 1, endColumn: 9, replacement: `(${one.file})`, description: '' }])),
    }));
    const lines = text.split('\n');
    expect(lines.filter(isWorkflowCommand)).toEqual([]);
    expect(text).not.toMatch(CONTROL_BUT_LF_TAB);
    // One headline, one note, one fix and one error line per finding: no name was split across lines.
    for (const name of HOSTILE_NAMES) {
      const shown = visiblePath(name);
      expect(lines.filter((line) => line.startsWith(`${shown}:1:5: error: `))).toHaveLength(1);
      expect(lines.filter((line) => line.startsWith(`${shown}:1:1: note: in expansion of macro ${visibleText(name)}`))).toHaveLength(1);
      expect(lines).toContain(`  ${shown}: binary file, skipped ${visibleText(name)}`);
    }
    expect(lines.filter((line) => line.startsWith(' 1 | '))).toHaveLength(HOSTILE_NAMES.length);
  });

  it('prints suppression problems and stale baseline entries from a hostile baseline without either', () => {
    const text = formatNotesText({
      suppressionProblems: HOSTILE_NAMES.map((file) => ({ file, line: 2, message: `unknown rule ${file}` })),
      staleBaselineEntries: HOSTILE_NAMES.map((file) => ({ file, line: 3, ruleId: 'RL001' as const, fingerprint: file, message: file })),
    });
    expect(text.split('\n').filter(isWorkflowCommand)).toEqual([]);
    expect(text).not.toMatch(CONTROL_BUT_LF_TAB);
    expect(text.split('\n')).toHaveLength(2 + 2 * HOSTILE_NAMES.length + 1);
  });
});

describe('the Markdown format', () => {
  it('keeps each name inside its code span, its table cell and its line', () => {
    const findings = HOSTILE_NAMES.map((name) => finding(name, `\`==\` binds tighter than \`&\` in \`${name}\`; *not* [this](x)`));
    const markdown = formatMarkdownReport(report(findings, HOSTILE_NAMES), context({
      notes: {
        suppressionProblems: [],
        staleBaselineEntries: HOSTILE_NAMES.map((file) => ({ file, line: 3, ruleId: 'RL001' as const, fingerprint: 'f', message: 'm' })),
      },
    }));
    const lines = markdown.split('\n');
    expect(lines.filter(isWorkflowCommand)).toEqual([]);
    expect(markdown).not.toMatch(CONTROL_BUT_LF_TAB);
    // GitHub splits a table row at each `|` that no backslash escapes, code spans included.
    const rows = lines.filter((line) => line.startsWith('| :x: |'));
    expect(rows).toHaveLength(HOSTILE_NAMES.length);
    for (const row of rows) expect(row.split(/(?<!\\)\|/)).toHaveLength(6);

    // Outside the table, a CommonMark parser finds each name (and each place) as one code span,
    // and nothing the tree wrote as a link, an image, emphasis or HTML.
    const tree = new commonmark.Parser().parse(lines.filter((line) => !line.startsWith('|')).join('\n'));
    const codes: string[] = [];
    const kinds = new Set<string>();
    const walker = tree.walker();
    for (let event = walker.next(); event; event = walker.next()) {
      if (!event.entering) continue;
      kinds.add(event.node.type);
      if (event.node.type === 'code') codes.push(event.node.literal ?? '');
    }
    expect([...kinds].filter((kind) => ['link', 'image', 'html_inline', 'emph'].includes(kind))).toEqual([]);
    for (const name of HOSTILE_NAMES) {
      const shown = visibleText(name);
      expect(codes).toContain(`${shown}:1`); // the finding, its note and its stale entry
      expect(codes).toContain(shown); // the file that could not be analysed
    }
    // The message's own backtick-quoted code is still code.
    expect(rows[0]).toContain(' | `==` binds tighter than `&` in ');
  });

  it.each(['a`b', '``', '`', ' x ', 'x|y'])('makes a code span of %j that shows it as it is', (text) => {
    const parsed = new commonmark.Parser().parse(`x ${markdownCode(text, 'text')} y`);
    const code = parsed.firstChild?.firstChild?.next;
    expect(code?.type).toBe('code');
    expect(code?.literal).toBe(text);
  });

  it('shows prose as written, with a lone backtick as a literal one', () => {
    const parsed = new commonmark.Parser().parse(markdownProse('a `b` c ` d *e* [f](g) <h> \\', 'text'));
    expect(new commonmark.HtmlRenderer().render(parsed)).toBe('<p>a <code>b</code> c ` d *e* [f](g) &lt;h&gt; \\</p>\n');
  });
});

describe('the github format', () => {
  /** The runner's parsing of a workflow command (actions/runner ActionCommand.TryParseV2 and its unescaping). */
  function parseCommand(line: string): { command: string; properties: Record<string, string>; data: string } | undefined {
    const match = /^::(\S+?)(?: (.*?))?::(.*)$/.exec(line);
    if (!match) return undefined;
    const unescapeData = (text: string) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
    const unescapeProperty = (text: string) => unescapeData(text.replace(/%3A/g, ':').replace(/%2C/g, ','));
    const properties = Object.fromEntries(
      (match[2] ?? '').split(',').map((pair) => {
        const equals = pair.indexOf('=');
        return [pair.slice(0, equals), unescapeProperty(pair.slice(equals + 1))];
      }),
    );
    return { command: match[1]!, properties, data: unescapeData(match[3]!) };
  }

  it('writes one command per finding and per file not analysed, whose file property the runner reads back', () => {
    const names = HOSTILE_NAMES.filter((name) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(name));
    const output = formatGithubAnnotations(report(names.map((name) => finding(name)), names));
    const lines = output.trimEnd().split('\n');
    expect(lines).toHaveLength(2 * names.length);
    const parsed = lines.map(parseCommand);
    expect(parsed.map((command) => command?.command)).toEqual([...names.map(() => 'error'), ...names.map(() => 'warning')]);
    expect(parsed.map((command) => command?.properties.file)).toEqual([...names, ...names]);
    expect(parsed.at(-1)?.properties.title).toBe('ringlint could not analyse this file in full');
    expect(parsed.at(-1)?.data).toBe(`binary file, skipped ${names.at(-1)}`);
  });

  it('writes other controls escaped, never raw', () => {
    const output = formatGithubAnnotations(report([finding('b\u001b]0;T\u0007.c', 'm\u009b\u001b[2J')], ['e\u0000.c']));
    expect(output).not.toMatch(CONTROL_BUT_LF_TAB);
    expect(output).toContain('file=b%1B]0;T%07.c');
    expect(output).toContain('::m%9B%1B[2J');
  });
});

describe('files that could not be analysed (F16)', () => {
  const errorsOnly = report([finding('k.c')], ['bin.c']);
  it.each([
    ['text', () => formatTextReport(errorsOnly, context()), /^ {2}bin\.c: binary file, skipped bin\.c$/m],
    ['markdown', () => formatMarkdownReport(errorsOnly, context()), /^- `bin\.c`: binary file, skipped bin\.c$/m],
    ['github', () => formatGithubAnnotations(errorsOnly), /^::warning file=bin\.c,title=ringlint could not analyse this file in full::binary file, skipped bin\.c$/m],
    ['json', () => formatJsonReport(errorsOnly), /"errors": \[\n {4}\{\n {6}"file": "bin\.c",\n {6}"message": "binary file, skipped bin\.c"/],
  ])('are in the %s format', (_format, render, expected) => {
    expect(render()).toMatch(expected);
  });

  it('are tool notifications in SARIF', () => {
    const sarif = JSON.parse(formatSarifReport(errorsOnly, context())) as { runs: Array<{ invocations: Array<{ toolExecutionNotifications: unknown[] }> }> };
    expect(sarif.runs[0]?.invocations[0]?.toolExecutionNotifications).toEqual([
      { level: 'warning', message: { text: 'binary file, skipped bin.c' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'bin.c', uriBaseId: '%SRCROOT%' } } }] },
    ]);
  });

  it('are file-level warnings in rdjson', () => {
    const rdjson = JSON.parse(formatRdjsonReport(errorsOnly, context())) as { diagnostics: unknown[] };
    expect(rdjson.diagnostics).toHaveLength(2);
    expect(rdjson.diagnostics[1]).toEqual({
      message: 'ringlint could not analyse this file in full: binary file, skipped bin.c',
      location: { path: 'bin.c' },
      severity: 'WARNING',
    });
  });
});

describe('SARIF artifact URIs', () => {
  // Found by fuzzing: a name that is not UTF-8 holds lone surrogates (files/path-bytes.ts), which
  // encodeURIComponent refused, and the whole run ended with 'URI malformed'.
  it('percent-encode the bytes of any name, as encodeURIComponent does for UTF-8 ones', () => {
    const names = ['n\udcff.c', 'd\udcfe/k\udc80.c', 'é/ü b#%?.c', ...HOSTILE_NAMES];
    const sarif = JSON.parse(formatSarifReport(report(names.map((name) => finding(name))), context())) as {
      runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }>;
    };
    const uris = sarif.runs[0]!.results.map((result) => result.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris.slice(0, 2)).toEqual(['n%FF.c', 'd%FE/k%80.c']);
    expect(uris.slice(2)).toEqual(names.slice(2).map((name) => name.split('/').map(encodeURIComponent).join('/')));
  });
});
