import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { CsrfField, ErrorSummary, type FormState } from '../../../core/views/forms.tsx';
import { CHECKLIST_STEPS, type Checklist } from '../checklist.service.ts';

export type ChecklistPageProps = { checklist: Checklist; notice?: 'testEmail' | 'tipLineOpened'; tipLineForm?: FormState };

const STEP_LINKS: Record<(typeof CHECKLIST_STEPS)[number], string> = {
  contact: '/console/settings#contact',
  social: '/console/settings#social',
  reviewer: '/console/accounts',
  smtp: '/console/outbox',
  backups: '/console/settings/checklist#backups',
};

/** The tip form waits for a reader; an administrator may open it sooner, after reading why not. */
function TipLineSection({ form }: { form: FormState }) {
  const { t } = usePage();
  const error = form.errors.understood;
  return (
    <section class="notice notice-danger" aria-labelledby="tip-line-heading" data-section="tip-line">
      <h2 id="tip-line-heading">{t('settings.checklist.tipLine.heading')}</h2>
      <p>{t('settings.checklist.tipLine.closed')}</p>
      <p>{t('settings.checklist.tipLine.warning')}</p>
      <ErrorSummary errors={form.errors} />
      <form method="post" action="/console/settings/tip-line" novalidate>
        <CsrfField />
        <p class={error ? 'field field-error' : 'field'}>
          <input type="checkbox" id="understood" name="understood" value="yes" aria-describedby={error ? 'understood-error' : undefined} />{' '}
          <label for="understood">{t('settings.checklist.tipLine.understood')}</label>
          {error ? <span id="understood-error" class="error">{t(error.key, error.params)}</span> : null}
        </p>
        <div class="actions">
          <button type="submit">{t('settings.checklist.tipLine.open')}</button>
        </div>
      </form>
    </section>
  );
}

/** What is left before the office is really set up; shown from the console home until done. */
export function ChecklistPage({ checklist, notice, tipLineForm = { values: {}, errors: {} } }: ChecklistPageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('settings.checklist.title')}>
      <h1>{t('settings.checklist.title')}</h1>
      {notice ? <p class="notice notice-ok" role="status">{t(`settings.checklist.notice.${notice}`)}</p> : null}
      <p>{checklist.left === 0 ? t('settings.checklist.allDone') : t('settings.checklist.left', { count: checklist.left })}</p>
      {checklist.tipLine === 'no_reader' ? <TipLineSection form={tipLineForm} /> : null}
      <ol class="checklist">
        {CHECKLIST_STEPS.map((step) => (
          <li key={step} data-step={step} data-done={checklist.done[step] ? 'yes' : 'no'}>
            <strong>{checklist.done[step] ? t('settings.checklist.done') : t('settings.checklist.todo')}</strong>{' '}
            <a href={STEP_LINKS[step]}>{t(`settings.checklist.steps.${step}.label`)}</a>
            <p class="hint">{t(`settings.checklist.steps.${step}.hint`)}</p>
            {step === 'backups' ? (
              <p id="backups">{checklist.lastBackupAt ? t('settings.checklist.steps.backups.last', { at: checklist.lastBackupAt.slice(0, 16).replace('T', ' ') }) : t('settings.checklist.steps.backups.never')}</p>
            ) : null}
            {step === 'smtp' ? (
              <form method="post" action="/console/settings/test-email">
                <CsrfField />
                <button type="submit" class="secondary">{t('settings.checklist.steps.smtp.test')}</button>
              </form>
            ) : null}
          </li>
        ))}
      </ol>
    </ConsoleLayout>
  );
}
