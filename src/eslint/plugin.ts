/**
 * ringlint's ESLint plugin (flat config, ESLint 9 and 10), imported as `ringlint/eslint-plugin`:
 *
 *   import ringlint from 'ringlint/eslint-plugin';
 *   export default [ringlint.configs.recommended, ringlint.configs.c];
 *
 * `configs.recommended` lints JS/TS files (it sets @typescript-eslint/parser itself, and uses the
 * project's tsconfig when typed linting provides one, else the nearest tsconfig.json);
 * `configs.c` lints `*.c`/`*.h` through the `ringlint/c` language.
 */
import type { ESLint, Linter } from 'eslint';
import typescriptParser from '@typescript-eslint/parser';
import { cLanguage } from './c-language.js';
import { rules, ruleSeverities } from './rules.js';
import { TOOL_VERSION } from '../version.js';

const SCRIPT_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts', '**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'];
const C_FILES = ['**/*.c', '**/*.h'];

interface RinglintPlugin extends ESLint.Plugin {
  configs: { recommended: Linter.Config; c: Linter.Config };
}

const plugin: RinglintPlugin = {
  meta: { name: 'ringlint', version: TOOL_VERSION },
  rules,
  languages: { c: cLanguage as unknown as NonNullable<ESLint.Plugin['languages']>[string] },
  configs: { recommended: {}, c: {} },
};

plugin.configs.recommended = {
  name: 'ringlint/recommended',
  files: SCRIPT_FILES,
  plugins: { ringlint: plugin },
  // The TS parser reads JS too; ESLint's own sourceType defaults (module, commonjs for .cjs) stay.
  languageOptions: { parser: typescriptParser as Linter.Parser },
  rules: ruleSeverities,
};

plugin.configs.c = {
  name: 'ringlint/c',
  files: C_FILES,
  plugins: { ringlint: plugin },
  language: 'ringlint/c',
  rules: ruleSeverities,
};

export default plugin;
export { cLanguage, rules };
