import { createHash } from 'node:crypto';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Catalogs } from '../../../core/i18n/catalog.ts';
import { createTranslator } from '../../../core/i18n/catalog.ts';
import { localePrefix } from '../../../core/i18n/locale.ts';
import type { RuleSet } from '../rules/rules.ts';
import { letterLanguages } from './letter-languages.ts';
import { type LetterFacts, NoticeLetter } from './views/notice-letter.tsx';

/**
 * The California Department of Justice's page with the model notice in each language.
 * [verify the address against oag.ca.gov before the office's first letter]
 */
export const MODEL_NOTICE_URL = 'https://oag.ca.gov/human-trafficking/sb1193';

export type LetterInput = Omit<LetterFacts, 'notice' | 'checkUrl' | 'modelNoticeUrl'> & {
  rules: RuleSet;
  thirdLanguage: string;
  baseUrl: string;
};

/** The SHA-256 a stored letter is kept with: over the exact stored string, as UTF-8. */
export const letterHash = (letter: string) => createHash('sha256').update(letter, 'utf8').digest('hex');

/**
 * The notice of violation as HTML markup (every value escaped by JSX), one page per language the
 * rules in force require. Rendered once, when the notice is sent, and stored with its SHA-256:
 * what the business received is what the office shows later, whatever changed since.
 */
export function renderNoticeLetter(catalogs: Catalogs, input: LetterInput): string {
  const { rules, thirdLanguage, baseUrl, ...facts } = input;
  const languages = letterLanguages(rules.notice?.languages ?? ['English'], thirdLanguage, catalogs.locales);
  const english = createTranslator(catalogs, catalogs.defaultLocale);
  const sections = languages.map((language) => ({ language, t: language.locale ? createTranslator(catalogs, language.locale) : english }));
  const full: LetterFacts = {
    ...facts,
    notice: rules.notice,
    checkUrl: (locale) => `${baseUrl}${localePrefix(locale, catalogs.defaultLocale)}/map1193/check`,
    modelNoticeUrl: MODEL_NOTICE_URL,
  };
  return renderToString(h(NoticeLetter, { facts: full, sections, english, languages }));
}
