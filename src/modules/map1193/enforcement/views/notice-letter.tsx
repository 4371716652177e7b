import type { Translate } from '../../../../core/i18n/catalog.ts';
import { beforeSb225 } from '../../businesses/notice-text.ts';
import { type CategoryInfo, categoryName } from '../../rules/categories.ts';
import { formatDay } from '../../shared/views/components.tsx';
import type { Deficiency } from '../enforcement.ts';
import type { LetterLanguage } from '../letter-languages.ts';
import type { NoticeRule, PenaltyRule } from '../../rules/rules.ts';

/** Everything a letter says, fixed when it is issued: the stored markup never changes after. */
export type LetterFacts = {
  office: { name: string; address: string; phone: string; logo: { dataUrl: string; width: number; height: number } | null };
  inspector: string;
  caseNumber: string;
  business: { name: string; address: string; city: string; category: string };
  /** The categories as stored when the letter is issued, for the business's category name in each language. */
  categories: readonly CategoryInfo[];
  deficiencies: Deficiency[];
  /** YYYY-MM-DD in the office's time zone. */
  visitDay: string;
  day: string;
  cureDay: string;
  notice: NoticeRule | undefined;
  penalty: PenaltyRule;
  /** The amount this business faces: the later-offense amount when it was penalised before. */
  amountUsd: number;
  /** Absolute links, per locale for the check page. */
  checkUrl: (locale: string) => string;
  modelNoticeUrl: string;
};

export type LetterSection = { language: LetterLanguage; t: Translate };

const money = (locale: string, usd: number) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(usd);

/** A language's name as `locale` writes it ("Chinese", "chino"), or as the rules spell it. */
function languageName(language: LetterLanguage, locale: string): string {
  if (!language.code) return language.name;
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(language.code) ?? language.name;
  } catch {
    return language.name;
  }
}

function Letterhead({ office }: { office: LetterFacts['office'] }) {
  return (
    <header class="letterhead">
      {office.logo ? <img class="letterhead-logo" src={office.logo.dataUrl} alt="" width={office.logo.width} height={office.logo.height} /> : null}
      <div>
        <p class="letterhead-name">{office.name}</p>
        {office.address ? <p>{office.address}</p> : null}
        {office.phone ? <p>{office.phone}</p> : null}
      </div>
    </header>
  );
}

/** The letter in one language the catalogs write. */
function LetterIn({ facts, t, locale, languages }: { facts: LetterFacts; t: Translate; locale: string; languages: LetterLanguage[] }) {
  const { business, notice, penalty } = facts;
  const date = (day: string) => formatDay(day, locale);
  const category = categoryName(facts.categories, business.category, locale);
  return (
    <section class="letter-page" lang={locale}>
      <Letterhead office={facts.office} />
      <h2 class="letter-title">{t('letter.title')}</h2>
      <p class="letter-statute">{t('letter.statute')}</p>
      <dl class="letter-meta">
        <dt>{t('letter.date')}</dt>
        <dd>{date(facts.day)}</dd>
        <dt>{t('letter.caseNumber')}</dt>
        <dd>{facts.caseNumber}</dd>
        <dt>{t('letter.inspector')}</dt>
        <dd>{facts.inspector}</dd>
      </dl>
      <address class="letter-to">
        {t('letter.to', { business: business.name })}
        <br />
        {business.address}
        <br />
        {business.city}
      </address>
      <p>{t('letter.category', { category })}</p>
      <p>{t('letter.observed', { date: date(facts.visitDay), inspector: facts.inspector, office: facts.office.name })}</p>
      <ul>
        {(facts.deficiencies.length ? facts.deficiencies : (['not_posted'] as const)).map((d) => (
          <li key={d}>{t(`letter.deficiency.${d}`)}</li>
        ))}
      </ul>
      {notice ? (
        <>
          <p>{t('letter.requires')}</p>
          <ul>
            <li>{t('letter.require.size', { width: notice.minWidthIn, height: notice.minHeightIn, points: notice.minFontPt })}</li>
            <li>{t('letter.require.languages', { languages: languages.map((l) => languageName(l, locale)).join(', ') })}</li>
            <li>{t(beforeSb225(notice.since) ? 'letter.require.nationalBefore2019' : 'letter.require.national', { number: notice.nationalHotline })}</li>
            {notice.textLine ? <li>{t('letter.require.textLine', { number: notice.textLine })}</li> : null}
            <li>{t('letter.require.cast', { number: notice.castHotline })}</li>
            <li>{t('letter.require.place')}</li>
          </ul>
        </>
      ) : null}
      <p class="letter-cure">{t('letter.cure', { days: penalty.cureDays, date: date(facts.cureDay) })}</p>
      <p>{t('letter.penalty', { amount: money(locale, facts.amountUsd), first: money(locale, penalty.firstOffenceUsd), later: money(locale, penalty.laterOffenceUsd) })}</p>
      <p>
        {t('letter.check')} <a href={facts.checkUrl(locale)}>{facts.checkUrl(locale)}</a>
      </p>
      <p>
        {t('letter.model')} <a href={facts.modelNoticeUrl}>{facts.modelNoticeUrl}</a>
      </p>
      {facts.office.phone ? <p>{t('letter.questions', { phone: facts.office.phone })}</p> : null}
      <p class="letter-closing">{t('letter.closing')}</p>
      <p class="letter-signature">
        {facts.inspector}
        <br />
        {t('letter.inspectorOf', { office: facts.office.name })}
      </p>
    </section>
  );
}

/** A required language no catalog writes: said in English, never silently left out. */
function MissingLanguage({ facts, t, language }: { facts: LetterFacts; t: Translate; language: LetterLanguage }) {
  return (
    <section class="letter-page letter-missing" lang="en">
      <Letterhead office={facts.office} />
      <h2 class="letter-title">{t('letter.missing.title', { language: language.name })}</h2>
      <p>{t('letter.missing.body', { language: language.name, caseNumber: facts.caseNumber })}</p>
      <p>
        {t('letter.model')} <a href={facts.modelNoticeUrl}>{facts.modelNoticeUrl}</a>
      </p>
    </section>
  );
}

/** The whole notice of violation: one page per language, English first. */
export function NoticeLetter({ facts, sections, english, languages }: { facts: LetterFacts; sections: LetterSection[]; english: Translate; languages: LetterLanguage[] }) {
  return (
    <div class="notice-letter">
      {sections.map(({ language, t }) =>
        language.locale ? (
          <LetterIn key={language.name} facts={facts} t={t} locale={language.locale} languages={languages} />
        ) : (
          <MissingLanguage key={language.name} facts={facts} t={english} language={language} />
        ),
      )}
    </div>
  );
}
