/**
 * ringlint's ESLint plugin (flat config, ESLint 9 and 10), imported as `ringlint/eslint-plugin`:
 *
 *   import ringlint from 'ringlint/eslint-plugin';
 *   export default [ringlint.configs.recommended, ringlint.configs.c];
 *
 * `configs.recommended` lints JS/TS files (it sets @typescript-eslint/parser itself; with typed
 * linting the analysis runs in typescript-eslint's program, else in one of its own per nearest
 * tsconfig.json); `configs.c` lints C and C++ (`*.c`, `*.h`, `*.cc`, `*.hpp`, …: every language
 * whose row names it) through the `ringlint/c` language, beside configs written for JavaScript in
 * any order (see c-source-code.ts).
 */
import type { ESLint, Linter } from 'eslint';
import typescriptParser from '@typescript-eslint/parser';
import { LANGUAGES } from '../languages/table.js';
import type { Language } from '../languages/language.js';
import { cLanguage } from './c-language.js';
import { rules, ruleSeverities } from './rules.js';
import { TOOL_VERSION } from '../version.js';

/** The files `ringlint scan` reads in the languages of a config: each config is scoped to its own, so neither reaches the other's. */
function filesOf(config: Language['eslintConfig']): string[] {
  return LANGUAGES.filter((language) => language.eslintConfig === config).flatMap((language) => language.extensions.map((extension) => `**/*${extension}`));
}

interface RinglintPlugin extends ESLint.Plugin {
  configs: { recommended: Linter.Config; c: Linter.Config };
}

const plugin: RinglintPlugin = {
  meta: { name: 'ringlint', version: TOOL_VERSION },
  rules,
  languages: { c: cLanguage as unknown as NonNullable<ESLint.Plugin['languages']>[string] },
  configs: { recommended: {}, c: {} },
};

/** The config `ringlint/<name>`: every rule, on the files of the languages whose row names it. */
function configNamed(name: Language['eslintConfig'], settings: Linter.Config): Linter.Config {
  return { name: `ringlint/${name}`, files: filesOf(name), plugins: { ringlint: plugin }, ...settings, rules: ruleSeverities };
}

// The TS parser reads JS too; ESLint's own sourceType defaults (module, commonjs for .cjs) stay.
plugin.configs.recommended = configNamed('recommended', { languageOptions: { parser: typescriptParser as Linter.Parser } });
plugin.configs.c = configNamed('c', { language: 'ringlint/c' });

export default plugin;
export { cLanguage, rules };
