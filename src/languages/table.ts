/**
 * The languages ringlint analyses: one row each, the `language.ts` of the language's front-end
 * folder. Adding a language is a front-end folder and a line here.
 */
import { C_LANGUAGE } from '../c/language.js';
import { CPP_LANGUAGE } from '../cpp/language.js';
import { SCRIPT_LANGUAGE } from '../ts/language.js';
import type { Language } from './language.js';

export const LANGUAGES: readonly Language[] = [
  C_LANGUAGE,
  CPP_LANGUAGE,
  SCRIPT_LANGUAGE,
];

/** A file named on the command line or included by quoted path is read as C whatever its name. */
export const FALLBACK_LANGUAGE: Language = C_LANGUAGE;

/** The language a documentation code block labelled `label` (its first word, lower case) is written in. */
export function languageOfFenceLabel(label: string): Language | undefined {
  return LANGUAGES.find((language) => language.fenceLabels.includes(label));
}
