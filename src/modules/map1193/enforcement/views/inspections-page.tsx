import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import type { QueueRow } from '../repo.ts';
import type { Community } from '../../reports/community.ts';
import { CommunityPicture } from '../../reports/views/community.tsx';

export type InspectionsPageProps = { city: string | undefined; rows: (QueueRow & { community: Community })[]; cities: string[]; now: string };

/** Whole days between a report and now. */
export const ageDays = (since: string | null, now: string) => (since ? Math.max(0, Math.floor((Date.parse(now) - Date.parse(since)) / 86_400_000)) : 0);

/**
 * The inspection queue: businesses a credible report put there and open cases, oldest report
 * first, each with what reporters saw lately, so reports that disagree are plain to see.
 */
export function InspectionsPage({ city, rows, cities, now }: InspectionsPageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('map.enforcement.queue.title')}>
      <h1>{t('map.enforcement.queue.title')}</h1>
      <form method="get" action="/console/map1193/inspections" class="actions" role="search" aria-label={t('map.enforcement.queue.filter')}>
        <div class="field">
          <label for="city">{t('map.enforcement.queue.city')}</label>
          <select id="city" name="city">
            <option value="">{t('map.enforcement.queue.allCities')}</option>
            {cities.map((c) => <option key={c} value={c} selected={city === c}>{c}</option>)}
          </select>
        </div>
        <button type="submit">{t('map.enforcement.queue.apply')}</button>
      </form>
      {rows.length === 0 ? (
        <p>{t('map.enforcement.queue.empty')}</p>
      ) : (
        <table>
          <caption>{t('map.enforcement.queue.caption', { count: rows.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('map.enforcement.queue.business')}</th>
              <th scope="col">{t('map.enforcement.queue.city')}</th>
              <th scope="col">{t('map.enforcement.queue.age')}</th>
              <th scope="col">{t('map.enforcement.queue.reports')}</th>
              <th scope="col">{t('map.enforcement.queue.stage')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td><a href={`/console/map1193/inspections/${r.id}`}>{r.name}</a><br />{r.address}</td>
                <td>{r.city}</td>
                <td>{t('map.enforcement.queue.days', { count: ageDays(r.queuedAt ?? r.lastReportAt, now) })}</td>
                <td><CommunityPicture community={r.community} /></td>
                <td>{r.stage ? t(`map.enforcement.stage.${r.stage}`) : t('map.enforcement.stage.none')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </ConsoleLayout>
  );
}
