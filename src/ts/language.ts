/** TypeScript's and JavaScript's row in the language table (src/languages/table.ts). */
import type { AnalysisKind, FrontEnd, Language } from '../languages/language.js';
import type { MessageDialect } from '../model/finding-messages.js';
import { SCRIPT_VOCABULARY } from '../model/status-vocabulary.js';

const SCRIPT_DIALECT: MessageDialect = {
  blockWord: 'blockStatus',
  unorderedRead: 'with a plain load',
  acquireFix: 'read it with Atomics.load',
  unorderedStore: 'with a plain store, without release ordering',
  releaseFix: 'use Atomics.store',
};

const SCRIPT_ANALYSIS: AnalysisKind = {
  name: 'TypeScript',
  // ts-morph loads only now: a scan without TS/JS files never loads it.
  load: async () => (await import('./script-analysis.js')).SCRIPT_ANALYSIS,
};

export const SCRIPT_LANGUAGE: Language = {
  id: 'typescript',
  name: 'TypeScript/JavaScript',
  extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'],
  fenceLabels: [],
  vocabulary: SCRIPT_VOCABULARY,
  dialect: SCRIPT_DIALECT,
  // Status words hide behind typed views and getters a byte search cannot see; the analyzer skips
  // what cannot matter.
  selection: 'every-file',
  // The fix spells the USER bit as the file names it, from the decision shape, as ESLint's does.
  cliFixes: true,
  eslintConfig: 'recommended',
  analysis: SCRIPT_ANALYSIS,
  frontEnd: async (): Promise<FrontEnd> => ({}),
};
