import { usePage } from '../../../core/views/context.ts';
import { ChoiceGroup, CsrfField, ErrorSummary, type FormState, TextArea, TextField } from '../../../core/views/forms.tsx';
import { Layout } from '../../../core/views/layout.tsx';
import { MAX_FILES } from '../attachments.ts';
import { MINOR_ANSWERS, SIGNS, TIP_KINDS } from '../tables.ts';
import { FileField, Honeypot } from './fields.tsx';
import { HelpNowBox } from './help-box.tsx';

export type TipFormNotice = 'expired' | 'check' | 'tooMany' | 'closed' | 'serverError';

export type TipFormProps = {
  form: FormState;
  /** False until the office has a recovery key (setup done): see `tipLineOpen`. */
  open: boolean;
  /** Sent back with the form so that a form sent twice stores one tip. */
  submissionId: string;
  notice?: TipFormNotice;
  retryMinutes?: number;
  /** The onion service's address (`ONION_URL`), unless the page is already served through it. */
  onionUrl?: string | undefined;
};

/** What is and is not recorded, before anyone types a word. */
function BeforeYouStart() {
  const { t, href } = usePage();
  return (
    <section class="notice" aria-labelledby="before-title">
      <h2 id="before-title">{t('tips.form.before.title')}</h2>
      <ul>
        <li>{t('tips.form.before.notEmergency')}</li>
        <li>{t('tips.form.before.anonymous')}</li>
        <li>{t('tips.form.before.recorded')}</li>
        <li>{t('tips.form.before.notRecorded')}</li>
        <li>{t('tips.form.before.receipt')}</li>
        <li>{t('tips.form.before.shared')}</li>
      </ul>
      <p>
        <a href={href('/tip/follow-up')}>{t('tips.form.before.followUpLink')}</a>
      </p>
    </section>
  );
}

/** Where Tor Browser users can send the same form without leaving Tor. */
function OnionNotice({ onionUrl }: { onionUrl: string }) {
  const { t, href } = usePage();
  const address = `${onionUrl}${href('/tip')}`;
  return (
    <section class="notice" aria-labelledby="onion-title" data-onion-notice>
      <h2 id="onion-title">{t('tips.form.onion.title')}</h2>
      <p>{t('tips.form.onion.text')}</p>
      <p>
        <a href={address}>{t('tips.form.onion.link')}</a>: <code>{address}</code>
      </p>
    </section>
  );
}

/** The public tip form: works with JavaScript off, keeps every value when sent back. */
export function TipFormPage({ form, open, submissionId, notice, retryMinutes, onionUrl }: TipFormProps) {
  const { t, href } = usePage();
  const off = 'off';
  return (
    <Layout title={t('tips.form.title')} description={t('tips.form.description')} noindex>
      <h1>{t('tips.form.title')}</h1>
      <p class="prose">{t('tips.form.intro')}</p>
      <HelpNowBox id="help-title" title={t('tips.help.title')} intro={t('tips.help.intro')} />
      <BeforeYouStart />
      {onionUrl ? <OnionNotice onionUrl={onionUrl} /> : null}
      {!open ? (
        <p class="notice notice-danger" role="alert">{t('tips.form.closed')}</p>
      ) : (
        <>
          {notice === 'tooMany' ? (
            <p class="notice notice-danger" role="alert">{t('tips.form.notice.tooMany', { count: retryMinutes ?? 60 })}</p>
          ) : notice ? (
            <p class="notice notice-danger" role="alert">{t(`tips.form.notice.${notice}`)}</p>
          ) : null}
          <ErrorSummary errors={form.errors} />
          <form method="post" action={href('/tip')} enctype="multipart/form-data" autocomplete={off} novalidate>
            <CsrfField />
            <input type="hidden" name="submissionId" value={submissionId} />
            <h2>{t('tips.form.sections.what')}</h2>
            <TextArea state={form} name="whatHappened" label={t('tips.form.whatHappened')} hint={t('tips.form.whatHappenedHint')} required maxLength={20_000} rows={8} autocomplete={off} />
            <ChoiceGroup state={form} name="kind" legend={t('tips.form.kind')} defaultValue="unsure" options={TIP_KINDS.map((k) => ({ value: k, label: t(`tips.kinds.${k}`) }))} />

            <h2>{t('tips.form.sections.where')}</h2>
            <TextField state={form} name="whereAddress" label={t('tips.form.whereAddress')} maxLength={300} autocomplete={off} />
            <TextField state={form} name="whereCity" label={t('tips.form.whereCity')} maxLength={120} autocomplete={off} />
            <TextField state={form} name="whereBusiness" label={t('tips.form.whereBusiness')} maxLength={200} autocomplete={off} />
            <TextArea state={form} name="whereDetails" label={t('tips.form.whereDetails')} hint={t('tips.form.whereDetailsHint')} maxLength={2000} rows={3} autocomplete={off} />
            <TextField state={form} name="when" label={t('tips.form.when')} hint={t('tips.form.whenHint')} maxLength={500} autocomplete={off} />

            <h2>{t('tips.form.sections.who')}</h2>
            <TextField state={form} name="peopleCount" label={t('tips.form.peopleCount')} maxLength={100} autocomplete={off} />
            <TextField state={form} name="peopleAges" label={t('tips.form.peopleAges')} maxLength={300} autocomplete={off} />
            <ChoiceGroup state={form} name="minor" legend={t('tips.form.minor')} defaultValue="unsure" options={MINOR_ANSWERS.map((v) => ({ value: v, label: t(`tips.answers.${v}`) }))} />
            <ChoiceGroup state={form} name="danger" legend={t('tips.form.danger')} defaultValue="no" options={['yes', 'no'].map((v) => ({ value: v, label: t(`tips.form.danger_${v}`) }))}>
              <div class="notice notice-danger" id="danger-guidance">
                <p><strong>{t('tips.form.dangerGuidanceTitle')}</strong></p>
                <p>
                  {t('tips.form.dangerGuidance')} <a href="tel:911"><strong>911</strong></a>
                </p>
                <p>{t('tips.form.dangerUrgent')}</p>
              </div>
            </ChoiceGroup>

            <h2>{t('tips.form.sections.signs')}</h2>
            <ChoiceGroup state={form} name="signs" legend={t('tips.form.signs')} hint={t('tips.form.signsHint')} multiple options={SIGNS.map((s) => ({ value: s, label: t(`tips.signs.${s}`) }))} />
            <TextArea state={form} name="signsOther" label={t('tips.form.signsOther')} maxLength={1000} rows={2} autocomplete={off} />
            <TextArea state={form} name="vehicles" label={t('tips.form.vehicles')} hint={t('tips.form.vehiclesHint')} maxLength={2000} rows={2} autocomplete={off} />
            <TextArea state={form} name="phones" label={t('tips.form.phones')} maxLength={2000} rows={2} autocomplete={off} />
            <TextArea state={form} name="online" label={t('tips.form.online')} hint={t('tips.form.onlineHint')} maxLength={2000} rows={2} autocomplete={off} />

            <h2>{t('tips.form.sections.contact')}</h2>
            <div class="notice" id="identity-notice" data-identity-notice>
              <p>{t('tips.form.identity.use')}</p>
              <p>{t('tips.form.identity.minor')}</p>
            </div>
            <ChoiceGroup
              state={form}
              name="contactMode"
              legend={t('tips.form.contactMode')}
              defaultValue="anonymous"
              options={[
                { value: 'anonymous', label: t('tips.form.contactAnonymous') },
                { value: 'details', label: t('tips.form.contactDetailsOption') },
              ]}
            />
            <TextArea state={form} name="contactDetails" label={t('tips.form.contactDetails')} hint={t('tips.form.contactDetailsHint')} maxLength={2000} rows={3} autocomplete={off} />

            <Honeypot />
            <h2>{t('tips.form.sections.files')}</h2>
            <FileField state={form} name="files" label={t('tips.form.files')} hint={t('tips.form.filesHint', { max: MAX_FILES })} />
            <p><button type="submit">{t('tips.form.submit')}</button></p>
          </form>
        </>
      )}
    </Layout>
  );
}

export const sampleTipFormProps: TipFormProps = { form: { values: {}, errors: {} }, open: true, submissionId: 'sample-submission-id-0001' };
