import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import type { actionDayProgress, Tally } from '../service.ts';
import { DataTable } from '../../../../core/views/data-table.tsx';

export type Progress = NonNullable<Awaited<ReturnType<typeof actionDayProgress>>>;
export type ActionDayPageProps = { progress: Progress };

const FIGURES = ['stops', 'visited', 'compliant', 'missing', 'couldNotCheck'] as const;

/**
 * Figures per team or city. With `live`, each number names its place in the progress JSON
 * (`teams.0.visited`) so the page's island can update it in place.
 */
export function TallyTable({ caption, head, rows, live }: { caption: string; head: string; rows: (Tally & { label: string })[]; live?: string }) {
  const { t } = usePage();
  return (
    <DataTable
      caption={caption}
      columns={[head, t('map.actions.stops'), t('map.actions.visited'), t('map.actions.compliant'), t('map.actions.missing'), t('map.actions.couldNotCheck')]}
      rows={rows.map((r, i) => ({
        key: r.label,
        cells: [<th scope="row">{r.label}</th>, ...FIGURES.map((f) => (live ? <span data-live={`${live}.${i}.${f}`}>{r[f]}</span> : r[f]))],
      }))}
    />
  );
}

/** The sentence above the tables; also sent in the progress JSON, already translated. */
export const progressSummary = (t: (key: string, params?: Record<string, string | number>) => string, total: Tally) =>
  t('map.actions.summary', { visited: total.visited, stops: total.stops, compliant: total.compliant, missing: total.missing });

/**
 * Progress of a day of action, per team and per city. Its island polls the progress JSON and
 * updates the figures in place; without JavaScript the refresh link reloads the page.
 */
export function ActionDayPage({ progress }: ActionDayPageProps) {
  const { t } = usePage();
  const { day, total } = progress;
  const url = `/console/map1193/days/${day.id}`;
  return (
    <ConsoleLayout title={`${day.day}: ${day.title}`} scripts={['map1193-days.js']}>
      <h1>{day.day}: {day.title}</h1>
      <div data-live-progress={`${url}/progress.json`}>
        <p data-live="summary">{progressSummary(t, total)}</p>
        <p data-live-note hidden><span class="hint">{t('map.actions.liveNote')} <span data-live="updated" /></span></p>
        <p><a href={url}>{t('map.actions.refresh')}</a></p>
        <TallyTable caption={t('map.actions.byTeam')} head={t('map.actions.team')} rows={progress.teams.map((r) => ({ ...r, label: r.name }))} live="teams" />
        <TallyTable caption={t('map.actions.byCity')} head={t('map.actions.city')} rows={progress.cities.map((r) => ({ ...r, label: r.city }))} live="cities" />
      </div>
      <p><a href={`${url}/report`}>{t('map.actions.reportLink')}</a></p>
    </ConsoleLayout>
  );
}
