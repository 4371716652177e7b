import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import type { QueueRow } from '../repo.ts';
import { DataTable } from '../../../../core/views/data-table.tsx';
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
      <DataTable
        stack
        caption={t('map.enforcement.queue.caption', { count: rows.length })}
        columns={[t('map.enforcement.queue.business'), t('map.enforcement.queue.city'), t('map.enforcement.queue.age'), t('map.enforcement.queue.reports'), t('map.enforcement.queue.stage')]}
        rows={rows.map((r) => ({
          key: r.id,
          cells: [
            <><a href={`/console/map1193/inspections/${r.id}`}>{r.name}</a><br />{r.address}</>,
            r.city,
            t('map.enforcement.queue.days', { count: ageDays(r.queuedAt ?? r.lastReportAt, now) }),
            <CommunityPicture community={r.community} />,
            r.stage ? t(`map.enforcement.stage.${r.stage}`) : t('map.enforcement.stage.none'),
          ],
        }))}
        empty={t('map.enforcement.queue.empty')}
      />
    </ConsoleLayout>
  );
}
