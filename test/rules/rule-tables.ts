/**
 * The rule tables of README.md and rules/README.md, generated from the catalog
 * (src/rules/catalog.ts) between their `rule table` markers: written by `npm run rules-table`
 * (generate-rule-tables.ts), checked in the default suite by rule-tables.test.ts so that CI fails on
 * a table edited by hand or a catalog change not regenerated.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LANGUAGES } from '../../src/languages/table.js';
import { RULES, type FixKind, type RuleMeta } from '../../src/rules/catalog.js';

export const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));

export const TABLE_START = '<!-- rule table: generated from src/rules/catalog.ts by `npm run rules-table`; do not edit -->';
export const TABLE_END = '<!-- end of rule table -->';

/** The files that hold a table, and where their links to the rule documents start. */
const TABLE_FILES = [
  { path: 'README.md', docPrefix: 'rules/' },
  { path: 'rules/README.md', docPrefix: '' },
];

const FIX_CELLS: Record<FixKind, string> = { auto: '`--fix`', suggest: 'suggestion', none: '—' };

function languageNames(rule: RuleMeta): string {
  return rule.languages.map((id) => LANGUAGES.find((language) => language.id === id)?.name ?? id).join(', ');
}

/** A cell's text: a `|` would end the cell. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

export function ruleTable(docPrefix: string): string {
  const rows = RULES.map((rule) =>
    [`[${rule.id}](${docPrefix}${rule.doc})`, rule.name, rule.severity, FIX_CELLS[rule.fix], languageNames(rule), cell(rule.summary)].join(' | '),
  );
  return ['| id | name | severity | fix | languages | reports |', '| --- | --- | --- | --- | --- | --- |', ...rows.map((row) => `| ${row} |`)].join('\n');
}

/** `text` with the table between its markers replaced; an error when the markers are not there once each, in order. */
export function withTable(text: string, table: string, path: string): string {
  const start = text.indexOf(TABLE_START);
  const end = text.indexOf(TABLE_END);
  if (start < 0 || end < start || text.indexOf(TABLE_START, start + 1) >= 0 || text.indexOf(TABLE_END, end + 1) >= 0) {
    throw new Error(`${path}: expected the markers ${TABLE_START} and ${TABLE_END} once each, in that order`);
  }
  return `${text.slice(0, start + TABLE_START.length)}\n${table}\n${text.slice(end)}`;
}

export interface TableFile {
  path: string;
  committed: string;
  generated: string;
}

export function tableFiles(repository = REPOSITORY): TableFile[] {
  return TABLE_FILES.map(({ path, docPrefix }) => {
    const committed = readFileSync(`${repository}/${path}`, 'utf8');
    return { path, committed, generated: withTable(committed, ruleTable(docPrefix), path) };
  });
}

/** The files whose table is not the catalog's. */
export function staleTableFiles(repository = REPOSITORY): string[] {
  return tableFiles(repository)
    .filter((file) => file.committed !== file.generated)
    .map((file) => file.path);
}
