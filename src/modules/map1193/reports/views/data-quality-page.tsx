import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import { CsrfField } from '../../../../core/views/forms.tsx';
import { lawDay } from '../../rules/rules.ts';
import type { ReviewOutcome } from '../../tables.ts';
import type { DataQualityItem } from '../data-quality.service.ts';

/** Listings to check: reports that could not check a notice or say the listing is wrong, with a decision per business. */
export function DataQualityPage({ items, done }: { items: DataQualityItem[]; done: ReviewOutcome | undefined }) {
  const { t, settings } = usePage();
  return (
    <ConsoleLayout title={t('map.dataQuality.title')}>
      <h1>{t('map.dataQuality.title')}</h1>
      <p>{t('map.dataQuality.intro')}</p>
      {done ? <p role="status" class="notice">{t(`map.dataQuality.done.${done}`)}</p> : null}
      {items.length === 0 ? (
        <p>{t('map.dataQuality.empty')}</p>
      ) : (
        <table>
          <caption>{t('map.dataQuality.caption', { count: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('map.dataQuality.business')}</th>
              <th scope="col">{t('map.dataQuality.reports')}</th>
              <th scope="col">{t('map.dataQuality.since')}</th>
              <th scope="col">{t('map.dataQuality.decide')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map(({ business, counts, first }) => (
              <tr key={business.id}>
                <td><a href={`/map1193/businesses/${business.id}`}>{business.name}</a><br />{business.address}, {business.city} · {t(`map.categories.${business.category}.name`)}</td>
                <td>{counts.map((c) => t(`map.community.count.${c.observed}`, { count: c.n })).join(', ')}</td>
                <td>{lawDay(new Date(first), settings.timeZone)}</td>
                <td>
                  <form method="post" action={`/console/map1193/data-quality/${business.id}/review`} class="actions">
                    <CsrfField />
                    <button type="submit" name="outcome" value="kept">{t('map.dataQuality.keep')}</button>
                    <button type="submit" name="outcome" value="removed">{t('map.dataQuality.remove')}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </ConsoleLayout>
  );
}
