/**
 * The rule tables of README.md and rules/README.md and the config schema's rule names are the
 * catalog's (`npm run rules-table` regenerates them): this is CI's check. The check itself must
 * notice a list edited by hand and refuse a file whose markers are gone.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/languages/table.js';
import { RULES } from '../../src/rules/catalog.js';
import { makeTempDir, removeTempDir } from '../cli/cli-harness.js';
import { REPOSITORY, SCHEMA_PATH, staleTableFiles, TABLE_END, TABLE_START } from './rule-tables.js';

describe('rule tables', () => {
  it('are what the catalog generates (else: npm run rules-table)', () => {
    expect(staleTableFiles()).toEqual([]);
  });

  it('list every rule with its summary', async () => {
    for (const path of ['README.md', 'rules/README.md']) {
      const text = await readFile(join(REPOSITORY, path), 'utf8');
      const table = text.slice(text.indexOf(TABLE_START), text.indexOf(TABLE_END));
      for (const rule of RULES) expect(table, `${path} ${rule.id}`).toContain(`| ${rule.name} | ${rule.severity} |`);
      for (const rule of RULES) expect(table, `${path} ${rule.id}`).toContain(rule.summary);
    }
  });

  it('are checked: a hand edit is named, and lost markers are an error', async () => {
    const dir = await makeTempDir();
    try {
      for (const path of ['README.md', 'rules', SCHEMA_PATH]) await cp(join(REPOSITORY, path), join(dir, path), { recursive: true });
      expect(staleTableFiles(dir)).toEqual([]);
      const schema = await readFile(join(dir, SCHEMA_PATH), 'utf8');
      await writeFile(join(dir, SCHEMA_PATH), schema.replace(' "RL008",', ''));
      expect(staleTableFiles(dir)).toEqual([SCHEMA_PATH]);
      await writeFile(join(dir, SCHEMA_PATH), schema);
      const readme = join(dir, 'rules/README.md');
      const text = await readFile(readme, 'utf8');
      await writeFile(readme, text.replace('| truthy-status | error |', '| truthy-status | warning |'));
      expect(staleTableFiles(dir)).toEqual(['rules/README.md']);
      await writeFile(readme, text.replace(TABLE_END, ''));
      expect(() => staleTableFiles(dir)).toThrow(`rules/README.md: expected the markers ${TABLE_START} and ${TABLE_END} once each, in that order`);
    } finally {
      await removeTempDir(dir);
    }
  });
});

describe('the catalog', () => {
  it('names each rule once, by id and by name', () => {
    expect(new Set(RULES.map((rule) => rule.id)).size).toBe(RULES.length);
    expect(new Set(RULES.map((rule) => rule.name)).size).toBe(RULES.length);
  });

  it("gives languages that are ids of the language table's rows", () => {
    const ids = LANGUAGES.map((language) => language.id);
    for (const rule of RULES) for (const language of rule.languages) expect(ids, rule.id).toContain(language);
  });
});
