/**
 * The text generated from the catalog (src/rules/catalog.ts): the rule tables of README.md and
 * rules/README.md, between their `rule table` markers, and the rule names the config schema accepts.
 * Written by `npm run rules-table` (generate-rule-tables.ts), checked in the default suite by
 * rule-tables.test.ts so that CI fails on a list edited by hand or a catalog change not regenerated.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LANGUAGES } from '../../src/languages/table.js';
import { ESLINT_RULE_PREFIX, RULES, type FixKind, type RuleMeta } from '../../src/rules/catalog.js';

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

export const SCHEMA_PATH = 'src/config/ringlint.config.schema.json';
/** The config schema's list of rule keys (config/rule-settings.ts accepts the same), laid out as committed. */
const SCHEMA_RULE_KEYS = /("propertyNames": \{\n( *)"enum": \[\n)[^\]]*(\n *\])/;
const SCHEMA_LINE_WIDTH = 120;

/** `"a", "b",` lines of at most SCHEMA_LINE_WIDTH characters after `indent`. */
function wrappedJsonItems(items: readonly string[], indent: string): string[] {
  const lines: string[] = [];
  for (const item of items.map((value) => JSON.stringify(value))) {
    const last = lines.at(-1);
    if (last !== undefined && indent.length + last.length + item.length + 2 <= SCHEMA_LINE_WIDTH) lines[lines.length - 1] = `${last}, ${item}`;
    else lines.push(item);
  }
  return lines;
}

/** Every key that names a rule, as the config reads them (src/config/rule-settings.ts): ids, names and ESLint names. */
export function ruleKeys(): string[] {
  return [...RULES.map((rule) => rule.id), ...RULES.map((rule) => rule.name), ...RULES.map((rule) => `${ESLINT_RULE_PREFIX}${rule.name}`)];
}

/** The schema's text with its rule keys rewritten: the ids, the names, the ESLint names (as ruleKeys() lists them). */
export function withSchemaRuleKeys(text: string, path: string): string {
  const match = SCHEMA_RULE_KEYS.exec(text);
  if (!match) throw new Error(`${path}: expected "propertyNames": { "enum": [ … ] } under "rules"`);
  const indent = `${match[2]}  `;
  const keys = ruleKeys();
  const lines = [0, 1, 2].flatMap((group) => wrappedJsonItems(keys.slice(group * RULES.length, (group + 1) * RULES.length), indent));
  return text.replace(SCHEMA_RULE_KEYS, (_all, open: string, _indent, close: string) => `${open}${lines.map((line) => `${indent}${line}`).join(',\n')}${close}`);
}

export interface GeneratedFile {
  path: string;
  committed: string;
  generated: string;
}

export function tableFiles(repository = REPOSITORY): GeneratedFile[] {
  const read = (path: string): string => readFileSync(`${repository}/${path}`, 'utf8');
  const tables = TABLE_FILES.map(({ path, docPrefix }) => ({ path, committed: read(path), generated: withTable(read(path), ruleTable(docPrefix), path) }));
  const schema = read(SCHEMA_PATH);
  return [...tables, { path: SCHEMA_PATH, committed: schema, generated: withSchemaRuleKeys(schema, SCHEMA_PATH) }];
}

/** The files whose generated text is not the catalog's. */
export function staleTableFiles(repository = REPOSITORY): string[] {
  return tableFiles(repository)
    .filter((file) => file.committed !== file.generated)
    .map((file) => file.path);
}
