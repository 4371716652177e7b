/**
 * The languages a notice of violation goes out in: English first, then each language the rules
 * in force require (`county` is the office's third notice language), with the catalog that
 * writes it, or none: that section then says plainly that the office must add a translation.
 */
const CODES: Record<string, string> = {
  english: 'en',
  spanish: 'es',
  chinese: 'zh',
  vietnamese: 'vi',
  tagalog: 'tl',
  filipino: 'tl',
  korean: 'ko',
  japanese: 'ja',
  armenian: 'hy',
  russian: 'ru',
  punjabi: 'pa',
  hindi: 'hi',
  khmer: 'km',
  arabic: 'ar',
  farsi: 'fa',
  persian: 'fa',
  hmong: 'hmn',
  thai: 'th',
  portuguese: 'pt',
};

export type LetterLanguage = { name: string; code: string | undefined; locale: string | undefined };

/** `Spanish`, `es` or `county` → a language, with the catalog locale that can write the letter in it. */
export function letterLanguages(required: readonly string[], thirdLanguage: string, locales: readonly string[]): LetterLanguage[] {
  const out: LetterLanguage[] = [];
  for (const raw of ['English', ...required]) {
    const name = (raw === 'county' ? thirdLanguage : raw).trim();
    if (!name) continue;
    const lower = name.toLowerCase();
    const code = CODES[lower] ?? (/^[a-z]{2,3}(-[a-z0-9]+)?$/i.test(name) ? lower.split('-')[0] : undefined);
    if (out.some((l) => (code && l.code === code) || l.name.toLowerCase() === lower)) continue;
    const locale = code ? locales.find((l) => l === code || l.split('-')[0] === code) : undefined;
    out.push({ name, code, locale });
  }
  return out;
}
