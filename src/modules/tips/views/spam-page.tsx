import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { CsrfField, ErrorSummary, type FormState, TextField } from '../../../core/views/forms.tsx';
import type { TipSummary } from '../tables.ts';
import { refLabel } from './badges.tsx';
import { OfficeTime } from '../../../core/views/time.ts';

export type SpamPageProps = { flagged: TipSummary[]; form: FormState; deleted?: boolean };

/** Deleting spam: the tips reviewers flagged, and any tip by its reference. Never a word of a tip. */
export function SpamPage({ flagged, form, deleted }: SpamPageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('tips.spam.title')}>
      <h1>{t('tips.spam.title')}</h1>
      {deleted ? <p role="status" class="notice">{t('tips.spam.deleted')}</p> : null}
      <p>{t('tips.spam.intro')}</p>
      <h2>{t('tips.spam.flagged')}</h2>
      {flagged.length === 0 ? <p>{t('tips.spam.none')}</p> : (
        <table class="table-stack">
          <thead>
            <tr>
              <th scope="col">{t('tips.queue.reference')}</th>
              <th scope="col">{t('tips.queue.received')}</th>
              <th scope="col">{t('tips.spam.flaggedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {flagged.map((row) => (
              <tr key={row.id}>
                <td data-label={t('tips.queue.reference')}>{refLabel(row.id)}</td>
                <td data-label={t('tips.queue.received')}><OfficeTime at={row.receivedAt} show="hour" /></td>
                <td data-label={t('tips.spam.flaggedAt')}>{row.spamFlaggedAt ? <OfficeTime at={row.spamFlaggedAt} show="minute" /> : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('tips.spam.delete')}</h2>
      <ErrorSummary errors={form.errors} />
      <form method="post" action="/console/tips/spam" autocomplete="off" novalidate>
        <CsrfField />
        <TextField state={form} name="reference" label={t('tips.spam.reference')} hint={t('tips.spam.referenceHint')} maxLength={80} required />
        <TextField state={form} name="reason" label={t('tips.spam.reason')} hint={t('tips.spam.reasonHint')} maxLength={300} required />
        <button type="submit" class="danger">{t('tips.spam.deleteButton')}</button>
      </form>
    </ConsoleLayout>
  );
}

export const sampleSpamPageProps: SpamPageProps = { flagged: [], form: { values: {}, errors: {} } };
