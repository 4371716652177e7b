import { usePage } from '../../../../core/views/context.ts';
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

/** A YYYY-MM-DD day as the locale writes it ("14 March 2026", "14 de marzo de 2026"). */
export function formatDay(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/** Previous / next and a window of page numbers; plain links, so it works without JavaScript. */
export function Pagination({ page, pages, link }: { page: number; pages: number; link: (page: number) => string }) {
  const { t } = usePage();
  if (pages <= 1) return null;
  const first = Math.max(1, Math.min(page - 2, pages - 4));
  const numbers = Array.from({ length: Math.min(5, pages) }, (_, i) => first + i);
  return (
    <nav class="pagination" aria-label={t('map.list.pagination')}>
      <ul>
        {page > 1 ? (
          <li><a href={link(page - 1)} rel="prev">{t('map.list.previous')}</a></li>
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
          <li><a href={link(page + 1)} rel="next">{t('map.list.next')}</a></li>
        ) : null}
      </ul>
      <p>{t('map.list.pageOf', { page, pages })}</p>
    </nav>
  );
}
