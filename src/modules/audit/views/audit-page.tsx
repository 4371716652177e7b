import type { AuditRow } from '../../../core/audit/audit.ts';
import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { DataTable } from '../../../core/views/data-table.tsx';
import { ErrorSummary, type FormState, SelectField, TextField } from '../../../core/views/forms.tsx';
import { tipReferenceLabel } from '../../tips/index.ts';
import { ACTION_GROUP_NAMES, auditSentence } from '../sentences.ts';
import { OfficeTime } from '../../../core/views/time.ts';

export type AuditPageProps = {
  form: FormState;
  /** Absent when the filters did not parse: the form is shown again with its messages. */
  result?: { rows: AuditRow[]; newerAfter?: number; olderBefore?: number; names?: ReadonlyMap<string, string> };
  /** The valid filters as a query string (no cursor), for paging and export links. */
  filterQuery: string;
  /** Whether the page was reached through a cursor (so "newest" is worth offering). */
  paged: boolean;
};

const withQuery = (path: string, query: string, extra?: string) => {
  const parts = [query, extra].filter(Boolean).join('&');
  return parts ? `${path}?${parts}` : path;
};

function detailText(detail: string): string {
  try {
    const parsed = JSON.parse(detail) as Record<string, unknown>;
    return Object.entries(parsed).map(([k, v]) => `${k}: ${String(v)}`).join('; ');
  } catch {
    return detail;
  }
}

/** The audit log: filters, one page of rows newest first, links to older and newer pages, CSV export. */
export function AuditPage({ form, result, filterQuery, paged }: AuditPageProps) {
  const { t } = usePage();
  const names = result?.names ?? new Map<string, string>();
  return (
    <ConsoleLayout title={t('audit.page.title')}>
      <h1>{t('audit.page.title')}</h1>
      <p>{t('audit.page.intro')}</p>
      <ErrorSummary errors={form.errors} />
      <form method="get" action="/console/audit" role="search" aria-label={t('audit.page.filters')} novalidate>
        <div class="actions">
          <TextField state={form} name="actor" label={t('audit.fields.actor')} hint={t('audit.hints.actor')} maxLength={254} autocomplete="off" />
          <SelectField
            state={form}
            name="group"
            label={t('audit.fields.group')}
            options={[{ value: '', label: t('audit.groups.all') }, ...ACTION_GROUP_NAMES.map((g) => ({ value: g, label: t(`audit.groups.${g}`) }))]}
          />
          <TextField state={form} name="action" label={t('audit.fields.action')} hint={t('audit.hints.action')} maxLength={100} autocomplete="off" />
          <TextField state={form} name="targetType" label={t('audit.fields.targetType')} maxLength={60} autocomplete="off" />
          <TextField state={form} name="targetId" label={t('audit.fields.targetId')} maxLength={200} autocomplete="off" />
          <TextField state={form} name="from" type="date" label={t('audit.fields.from')} />
          <TextField state={form} name="to" type="date" label={t('audit.fields.to')} />
        </div>
        <div class="actions">
          <button type="submit">{t('audit.page.apply')}</button>
          <a href="/console/audit">{t('audit.page.clear')}</a>
        </div>
      </form>
      {result ? (
        <>
          <p class="actions">
            <a class="button button-secondary" href={withQuery('/console/audit.csv', filterQuery)} download>{t('audit.page.export')}</a>
            <span class="hint">{t('audit.page.exportHint')}</span>
          </p>
          <p role="status">{t('audit.page.shown', { count: result.rows.length })}</p>
          <DataTable
            stack
            caption={t('audit.page.title')}
            captionHidden
            wrap
            columns={[t('audit.columns.seq'), t('audit.columns.at'), t('audit.columns.what'), t('audit.columns.actor'), t('audit.columns.target'), t('audit.columns.detail')]}
            rows={result.rows.map((row) => ({
              key: row.seq,
              cells: [
                row.seq,
                <OfficeTime at={row.at} show="minute" />,
                // The sentence for people; the code it stands for on hover, as in the CSV.
                <abbr class="audit-sentence" title={row.action}>{auditSentence(row, t, { accounts: names, tipLabel: tipReferenceLabel })}</abbr>,
                <a href={`/console/audit?actor=${encodeURIComponent(row.actorId ?? row.actorLabel)}`}>{row.actorLabel}</a>,
                row.targetType ? (
                  <a href={`/console/audit?targetType=${encodeURIComponent(row.targetType)}${row.targetId ? `&targetId=${encodeURIComponent(row.targetId)}` : ''}`}>
                    {row.targetType}{row.targetId ? ` ${row.targetId}` : ''}
                  </a>
                ) : '—',
                detailText(row.detail),
              ],
            }))}
            empty={t('audit.page.empty')}
          />
          {paged || result.newerAfter !== undefined || result.olderBefore !== undefined ? (
          <nav class="actions" aria-label={t('audit.page.pages')}>
            {paged ? <a href={withQuery('/console/audit', filterQuery)}>{t('audit.page.newest')}</a> : null}
            {result.newerAfter !== undefined ? <a href={withQuery('/console/audit', filterQuery, `after=${result.newerAfter}`)} rel="prev">{t('audit.page.newer')}</a> : null}
            {result.olderBefore !== undefined ? <a href={withQuery('/console/audit', filterQuery, `before=${result.olderBefore}`)} rel="next">{t('audit.page.older')}</a> : null}
          </nav>
          ) : null}
        </>
      ) : null}
    </ConsoleLayout>
  );
}

/** Sample props for render tests. */
export const sampleAuditPage: AuditPageProps = {
  form: { values: { action: 'account' }, errors: {} },
  result: {
    rows: [
      { seq: 2, at: '2026-01-15T10:00:00.000Z', actorId: 'a1', actorLabel: 'admin@example.org', action: 'account.invite', targetType: 'invitation', targetId: 'i1', detail: '{"roles":"volunteer"}', prevHash: 'x', hash: 'y' },
    ],
    olderBefore: 2,
    names: new Map([['a1', 'Ana Admin']]),
  },
  filterQuery: 'action=account',
  paged: false,
};
