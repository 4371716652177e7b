import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import { formatDay } from '../../shared/views/components.tsx';
import { type Progress, TallyTable } from './action-day-page.tsx';

/** After the day: what the stops showed, per team and per city, with the CSV of the same figures. */
export function EventReportPage({ progress }: { progress: Progress }) {
  const { t, locale } = usePage();
  const { day } = progress;
  const title = t('map.actions.reportTitle', { day: formatDay(day.day, locale), title: day.title });
  return (
    <ConsoleLayout title={title}>
      <h1>{title}</h1>
      {progress.over ? null : <p class="notice">{t('map.actions.notOver')}</p>}
      <p>{t('map.actions.reportIntro')}</p>
      <TallyTable caption={t('map.actions.total')} head={t('map.actions.total')} rows={[{ ...progress.total, label: t('map.actions.total') }]} />
      <TallyTable caption={t('map.actions.byTeam')} head={t('map.actions.team')} rows={progress.teams.map((r) => ({ ...r, label: r.name }))} />
      <TallyTable caption={t('map.actions.byCity')} head={t('map.actions.city')} rows={progress.cities.map((r) => ({ ...r, label: r.city }))} />
      <p><a href={`/console/map1193/days/${day.id}/report.csv`} download>{t('map.actions.csv')}</a></p>
    </ConsoleLayout>
  );
}
