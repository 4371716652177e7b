import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { DataTable } from '../../../core/views/data-table.tsx';
import type { QueuePage as QueueRows } from '../repo.ts';
import type { QueueQuery } from '../schema.ts';
import { TIP_KINDS, TIP_STATUSES } from '../tables.ts';
import { refLabel, StatusBadge, UrgentBadge } from './badges.tsx';
import { OfficeTime, useOfficeTime } from '../../../core/views/time.ts';

export type QueuePageProps = {
  query: QueueQuery;
  result: QueueRows;
  pageSize: number;
  readers: { id: string; displayName: string }[];
  languages: readonly string[];
  /** Closed tips due for deletion within the warning period, by id, with the day they go. */
  dueSoon: Record<string, string>;
  /** The time the page was made: the queue says how long each tip has waited. */
  now: string;
};

/** Whole hours or days since a tip came in (its time is kept to the hour only). */
export function ageOf(receivedAt: string, now: string): { key: 'tips.queue.ageHours' | 'tips.queue.ageDays'; count: number } {
  const hours = Math.max(0, Math.floor((new Date(now).getTime() - new Date(receivedAt).getTime()) / 3600_000));
  return hours < 48 ? { key: 'tips.queue.ageHours', count: hours } : { key: 'tips.queue.ageDays', count: Math.floor(hours / 24) };
}

function pageHref(query: QueueQuery, page: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, page })) if (v !== undefined && v !== '' && !(k === 'status' && v === 'open') && !(k === 'page' && v === 1)) params.set(k, String(v));
  const text = params.toString();
  return `/console/tips${text ? `?${text}` : ''}`;
}

/** The queue: urgent open tips first, then newest. Metadata only: no word of any tip. */
export function QueuePage({ query, result, pageSize, readers, languages, dueSoon, now }: QueuePageProps) {
  const { t } = usePage();
  const time = useOfficeTime();
  const nameOf = (id: string | null) => (id ? (readers.find((r) => r.id === id)?.displayName ?? '—') : t('tips.queue.unassigned'));
  const pages = Math.max(1, Math.ceil(result.total / pageSize));
  return (
    <ConsoleLayout title={t('tips.queue.title')}>
      <h1>{t('tips.queue.title')}</h1>
      <form method="get" action="/console/tips" class="actions" role="search" aria-label={t('tips.queue.filters')}>
        <div class="field">
          <label for="status">{t('tips.queue.status')}</label>
          <select id="status" name="status">
            {['open', ...TIP_STATUSES, 'all'].map((v) => (
              <option key={v} value={v} selected={query.status === v}>{v === 'open' || v === 'all' ? t(`tips.queue.${v}`) : t(`tips.status.${v}`)}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="kind">{t('tips.queue.kind')}</label>
          <select id="kind" name="kind">
            <option value="">{t('tips.queue.any')}</option>
            {TIP_KINDS.map((k) => <option key={k} value={k} selected={query.kind === k}>{t(`tips.kinds.${k}`)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="assignee">{t('tips.queue.assignee')}</label>
          <select id="assignee" name="assignee">
            <option value="">{t('tips.queue.any')}</option>
            <option value="none" selected={query.assignee === 'none'}>{t('tips.queue.unassigned')}</option>
            {readers.map((r) => <option key={r.id} value={r.id} selected={query.assignee === r.id}>{r.displayName}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="language">{t('tips.queue.language')}</label>
          <select id="language" name="language">
            <option value="">{t('tips.queue.any')}</option>
            {languages.map((l) => <option key={l} value={l} selected={query.language === l}>{t(`common.languageName.${l}`)}</option>)}
          </select>
        </div>
        <button type="submit">{t('tips.queue.apply')}</button>
      </form>
      <p role="status">{t('tips.queue.count', { count: result.total })}</p>
      <DataTable
        stack
        caption={t('tips.queue.title')}
        captionHidden
        wrap
        columns={[
          t('tips.queue.reference'),
          t('tips.queue.received'),
          t('tips.queue.kind'),
          t('tips.queue.flags'),
          t('tips.queue.status'),
          t('tips.queue.assignee'),
          t('tips.queue.language'),
        ]}
        rows={result.rows.map((row) => ({
          key: row.id,
          cells: [
            <a href={`/console/tips/${row.id}`}>{refLabel(row.id)}</a>,
            <>
              <OfficeTime at={row.receivedAt} show="hour" />
              <br />
              <span class="hint" data-age>{(({ key, count }) => t(key, { count }))(ageOf(row.receivedAt, now))}</span>
            </>,
            t(`tips.kinds.${row.kind}`),
            <>
              {row.urgent && row.status !== 'closed' ? <UrgentBadge /> : null}{' '}
              {row.minor === 'yes' ? <span class="badge badge-warn">{t('tips.queue.minor')}</span> : null}{' '}
              {row.tipsterWaiting ? <span class="badge">{t('tips.queue.waiting')}</span> : null}{' '}
              {dueSoon[row.id] ? <span class="badge badge-danger">{t('tips.queue.deletesOn', { date: time(dueSoon[row.id]!, 'date') })}</span> : null}
            </>,
            <StatusBadge status={row.status} />,
            nameOf(row.assigneeId),
            t(`common.languageName.${row.language}`),
          ],
        }))}
        empty={t('tips.queue.empty')}
      />
      {pages > 1 ? (
        <nav aria-label={t('tips.queue.pages')} class="actions">
          {query.page > 1 ? <a href={pageHref(query, query.page - 1)}>{t('tips.queue.previous')}</a> : null}
          <span>{t('tips.queue.pageOf', { page: query.page, pages })}</span>
          {query.page < pages ? <a href={pageHref(query, query.page + 1)}>{t('tips.queue.next')}</a> : null}
        </nav>
      ) : null}
    </ConsoleLayout>
  );
}
