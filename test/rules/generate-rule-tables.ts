/**
 * npm run rules-table [-- --check]: writes the rule tables of README.md and rules/README.md and the
 * config schema's rule names from the catalog (rule-tables.ts); with --check, writes nothing and
 * exits 1 naming each file that differs.
 */
import { writeFileSync } from 'node:fs';
import { REPOSITORY, tableFiles } from './rule-tables.js';

const check = process.argv.slice(2).includes('--check');
try {
  const stale = tableFiles().filter((file) => file.committed !== file.generated);
  if (check && stale.length > 0) {
    process.stderr.write(
      `rules-table: ${stale.map((file) => file.path).join(', ')}: not what src/rules/catalog.ts generates (edited by hand, or the catalog changed); run \`npm run rules-table\` and commit the result\n`,
    );
    process.exit(1);
  }
  if (!check) for (const file of stale) writeFileSync(`${REPOSITORY}/${file.path}`, file.generated);
  const done = check ? 'up to date' : stale.length === 0 ? 'nothing to change' : `wrote ${stale.map((file) => file.path).join(', ')}`;
  process.stdout.write(`rules-table: ${done}\n`);
} catch (error) {
  process.stderr.write(`rules-table: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
