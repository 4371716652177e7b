import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import type { actionDayProgress, Tally } from '../service.ts';
import { DataTable } from '../../../../core/views/data-table.tsx';

export type ActionDayPageProps = { progress: NonNullable<Awaited<ReturnType<typeof actionDayProgress>>> };

function TallyTable({ caption, head, rows }: { caption: string; head: string; rows: (Tally & { label: string })[] }) {
  const { t } = usePage();
  return (
    <DataTable
      caption={caption}
      columns={[head, t('map.actions.stops'), t('map.actions.visited'), t('map.actions.compliant'), t('map.actions.missing')]}
      rows={rows.map((r) => ({ key: r.label, cells: [<th scope="row">{r.label}</th>, r.stops, r.visited, r.compliant, r.missing] }))}
    />
  );
}

/** Live progress of a day of action, per team and per city; reload for the latest. */
export function ActionDayPage({ progress }: ActionDayPageProps) {
  const { t } = usePage();
  const { day, total } = progress;
  return (
    <ConsoleLayout title={`${day.day}: ${day.title}`}>
      <h1>{day.day}: {day.title}</h1>
      <p>{t('map.actions.summary', { visited: total.visited, stops: total.stops, compliant: total.compliant, missing: total.missing })}</p>
      <p><a href={`/console/map1193/days/${day.id}`}>{t('map.actions.refresh')}</a></p>
      <TallyTable caption={t('map.actions.byTeam')} head={t('map.actions.team')} rows={progress.teams.map((r) => ({ ...r, label: r.name }))} />
      <TallyTable caption={t('map.actions.byCity')} head={t('map.actions.city')} rows={progress.cities.map((r) => ({ ...r, label: r.city }))} />
    </ConsoleLayout>
  );
}
