import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import { DataTable } from '../../../../core/views/data-table.tsx';
import { useOfficeTime } from '../../../../core/views/time.ts';
import { REQUEST_STATUSES } from '../../tables.ts';
import type { RequestListRow } from '../repo.ts';
import type { QueueQuery } from '../schema.ts';
import { WAITING_STATUSES } from '../workflow.ts';

export type RequestQueueProps = { rows: RequestListRow[]; query: QueueQuery; cutoff: string };

/** The office's training requests, oldest first, with the ones left waiting too long marked. */
export function RequestQueuePage({ rows, query, cutoff }: RequestQueueProps) {
  const { t } = usePage();
  const when = useOfficeTime();
  const filters = ['open', ...REQUEST_STATUSES, 'all'] as const;
  const current = query.stale ? 'stale' : query.status;
  return (
    <ConsoleLayout title={t('events.queue.title')}>
      <h1>{t('events.queue.title')}</h1>
      <nav aria-label={t('events.queue.filters')}>
        <ul class="inline-list">
          {filters.map((f) => (
            <li key={f}><a href={`/console/trainings?status=${f}`} aria-current={current === f ? 'page' : undefined}>{t(`events.queue.filter.${f}`)}</a></li>
          ))}
          <li><a href="/console/trainings?stale=1" aria-current={current === 'stale' ? 'page' : undefined}>{t('events.queue.filter.stale')}</a></li>
        </ul>
      </nav>
      <DataTable
        caption={t('events.queue.title')}
        captionHidden
        wrap
        columns={[t('events.queue.columns.reference'), t('events.queue.columns.organization'), t('events.queue.columns.sector'), t('events.queue.columns.city'), t('events.queue.columns.status'), t('events.queue.columns.trainer'), t('events.queue.columns.received')]}
        rows={rows.map((r) => {
          const stale = WAITING_STATUSES.includes(r.status) && r.touchedAt <= cutoff;
          return {
            key: r.id,
            cells: [
              <th scope="row"><a href={`/console/trainings/${r.id}`}>{r.reference}</a></th>,
              r.organization,
              t(`events.sectors.${r.sector}`),
              r.city,
              <>
                <span class="badge">{t(`events.status.${r.status}`)}</span>
                {stale ? <> <span class="badge badge-warn">{t('events.queue.stale')}</span></> : null}
              </>,
              r.trainerName ?? t('events.queue.unassigned'),
              when(r.createdAt, 'minute'),
            ],
          };
        })}
        empty={t('events.queue.empty')}
      />
    </ConsoleLayout>
  );
}
