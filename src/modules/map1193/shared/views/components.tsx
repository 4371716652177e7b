import type { Translate } from '../../../../core/i18n/catalog.ts';
import { usePage } from '../../../../core/views/context.ts';
import type { NoticeRule, PenaltyRule } from '../../rules/rules.ts';
import type { BusinessStatus } from '../../tables.ts';

/**
 * The module's stylesheets. The shared layout links only app.css, so module pages link theirs
 * from the body, which HTML allows for stylesheets; the CSP allows them as same-origin files.
 */
export function ModuleStyles({ names }: { names: string[] }) {
  const { asset } = usePage();
  return (
    <>
      {names.map((name) => (
        <link key={name} rel="stylesheet" href={asset(name)} />
      ))}
    </>
  );
}

export function StatusBadge({ status }: { status: BusinessStatus }) {
  const { t } = usePage();
  return <span class={`status-badge status-${status}`}>{t(`map.status.${status}`)}</span>;
}

/** A YYYY-MM-DD day as the locale writes it ("March 14, 2026", "14 de marzo de 2026"). */
export function formatDay(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/** The office is in the United States: a language without a region is read as its US variant ("es" → "es-US", "$1,000"). */
const usLocale = (locale: string) => (locale.includes('-') ? locale : `${locale}-US`);

/** Dollars as the locale writes them: "$1,000" in English and in US Spanish. */
export function formatUsd(amount: number, locale: string): string {
  return new Intl.NumberFormat(usLocale(locale), { style: 'currency', currency: 'USD', maximumFractionDigits: amount % 1 === 0 ? 0 : 2 }).format(amount);
}

export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(usLocale(locale)).format(value);
}

/** The catalog parameters for the notice rule in force: `{size}` ("8.5 by 11 inches"), `{points}`, `{textLine}`. */
export function noticeParams(notice: NoticeRule, locale: string, t: Translate) {
  return {
    size: t('map.law.size', { width: formatNumber(notice.minWidthIn, locale), height: formatNumber(notice.minHeightIn, locale) }),
    points: formatNumber(notice.minFontPt, locale),
    textLine: notice.textLine ?? '',
  };
}

/** The catalog parameters for the penalty rule in force: `{first}`, `{later}` (currency) and `{cureDays}`. */
export function penaltyParams(penalty: PenaltyRule, locale: string) {
  return { first: formatUsd(penalty.firstOffenceUsd, locale), later: formatUsd(penalty.laterOffenceUsd, locale), cureDays: penalty.cureDays };
}

/** First, previous, a window of page numbers, next and last, and the page count; plain links, so it works without JavaScript. */
export function Pagination({ page, pages, link }: { page: number; pages: number; link: (page: number) => string }) {
  const { t } = usePage();
  if (pages <= 1) return null;
  const first = Math.max(1, Math.min(page - 2, pages - 4));
  const numbers = Array.from({ length: Math.min(5, pages) }, (_, i) => first + i);
  return (
    <nav class="pagination" aria-label={t('map.list.pagination')}>
      <ul>
        {page > 1 ? (
          <>
            <li><a href={link(1)}>{t('map.list.first')}</a></li>
            <li><a href={link(page - 1)} rel="prev">{t('map.list.previous')}</a></li>
          </>
        ) : null}
        {numbers.map((n) => (
          <li key={n}>
            {n === page ? (
              <span aria-current="page">{t('map.list.pageNumber', { page: n })}</span>
            ) : (
              <a href={link(n)}>{t('map.list.pageNumber', { page: n })}</a>
            )}
          </li>
        ))}
        {page < pages ? (
          <>
            <li><a href={link(page + 1)} rel="next">{t('map.list.next')}</a></li>
            <li><a href={link(pages)}>{t('map.list.last', { pages })}</a></li>
          </>
        ) : null}
      </ul>
      <p>{t('map.list.pageOf', { page, pages })}</p>
    </nav>
  );
}
