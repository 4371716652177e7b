import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { CsrfField, ErrorSummary, type FormState, TextField } from '../../../core/views/forms.tsx';
import type { TipStats } from '../stats.service.ts';
import { TIP_KINDS } from '../tables.ts';

export type StatsPageProps = {
  stats: TipStats;
  retentionDays: number;
  /** Shown to those who may change office settings. */
  retentionForm?: FormState;
  saved?: boolean;
};

const hours = (value: number | null, none: string) => (value === null ? none : String(value));

/** Counts only: tips per week by kind, and time to first review. No tip can be told apart here. */
export function StatsPage({ stats, retentionDays, retentionForm, saved }: StatsPageProps) {
  const { t } = usePage();
  const none = '—';
  return (
    <ConsoleLayout title={t('tips.stats.title')}>
      <h1>{t('tips.stats.title')}</h1>
      <p>{t('tips.stats.intro')}</p>
      <ul class="stat-grid">
        <li class="stat"><span class="stat-value">{stats.review.reviewed}</span><span>{t('tips.stats.reviewed')}</span></li>
        <li class="stat"><span class="stat-value">{stats.review.waiting}</span><span>{t('tips.stats.waiting')}</span></li>
        <li class="stat"><span class="stat-value">{hours(stats.review.medianHours, none)}</span><span>{t('tips.stats.median')}</span></li>
        <li class="stat"><span class="stat-value">{hours(stats.review.p90Hours, none)}</span><span>{t('tips.stats.p90')}</span></li>
      </ul>
      <h2>{t('tips.stats.perWeek')}</h2>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">{t('tips.stats.perWeek')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('tips.stats.week')}</th>
              {TIP_KINDS.map((k) => <th scope="col" key={k}>{t(`tips.kinds.${k}`)}</th>)}
              <th scope="col">{t('tips.stats.total')}</th>
              <th scope="col">{t('tips.stats.weekMedian')}</th>
            </tr>
          </thead>
          <tbody>
            {stats.weeks.map((w) => (
              <tr key={w.weekStart}>
                <th scope="row">{w.weekStart}</th>
                {TIP_KINDS.map((k) => <td key={k}>{w.byKind[k]}</td>)}
                <td>{w.total}</td>
                <td>{hours(w.medianReviewHours, none)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('tips.stats.retentionTitle')}</h2>
      <p>{t('tips.stats.retention', { days: retentionDays })}</p>
      {saved ? <p class="notice notice-ok" role="status">{t('tips.stats.retentionSaved')}</p> : null}
      {retentionForm ? (
        <form method="post" action="/console/tips/retention" novalidate>
          <CsrfField />
          <ErrorSummary errors={retentionForm.errors} />
          <TextField state={retentionForm} name="days" type="number" inputMode="numeric" label={t('tips.stats.retentionDays')} hint={t('tips.stats.retentionHint')} required />
          <button type="submit">{t('tips.stats.retentionSave')}</button>
        </form>
      ) : null}
    </ConsoleLayout>
  );
}
