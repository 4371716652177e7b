import { usePage } from '../../../../core/views/context.ts';
import { ChoiceGroup, CsrfField, ErrorSummary, type FormState, TextArea, TextField } from '../../../../core/views/forms.tsx';
import { Layout } from '../../../../core/views/layout.tsx';
import { Honeypot } from '../../shared/honeypot.tsx';
import { FORMATS, SECTORS, TRAINING_TOPICS } from '../../tables.ts';
import type { RequestFormNotice } from '../submit.service.ts';

export type RequestFormProps = { form: FormState; notice?: RequestFormNotice; retryMinutes?: number };

/** "Host a training": the public request form, whole without JavaScript, every value kept when sent back. */
export function RequestFormPage({ form, notice, retryMinutes }: RequestFormProps) {
  const { t, href } = usePage();
  const k = (key: string) => t(`events.request.${key}`);
  return (
    <Layout title={k('title')} description={k('description')}>
      <h1>{k('title')}</h1>
      <p class="prose">{k('intro')}</p>
      {notice === 'tooMany' ? (
        <p class="notice notice-danger" role="alert">{t('events.request.notice.tooMany', { count: retryMinutes ?? 60 })}</p>
      ) : notice ? (
        <p class="notice notice-danger" role="alert">{t(`events.request.notice.${notice}`)}</p>
      ) : null}
      <ErrorSummary errors={form.errors} />
      <form method="post" action={href('/trainings/request')} novalidate>
        <CsrfField />
        <Honeypot />
        <h2>{k('sections.who')}</h2>
        <TextField state={form} name="organization" label={k('fields.organization')} required maxLength={200} autocomplete="organization" />
        <ChoiceGroup state={form} name="sector" legend={k('fields.sector')} options={SECTORS.map((s) => ({ value: s, label: t(`events.sectors.${s}`) }))} />
        <TextField state={form} name="audienceSize" label={k('fields.audienceSize')} hint={k('hints.audienceSize')} type="number" inputMode="numeric" required maxLength={6} />
        <TextField state={form} name="audienceAges" label={k('fields.audienceAges')} hint={k('hints.audienceAges')} required maxLength={200} />

        <h2>{k('sections.what')}</h2>
        <ChoiceGroup state={form} name="format" legend={k('fields.format')} options={FORMATS.map((f) => ({ value: f, label: t(`events.formats.${f}`) }))} />
        <TextField state={form} name="city" label={k('fields.city')} hint={k('hints.city')} required maxLength={120} autocomplete="address-level2" />
        <fieldset id="dates">
          <legend>{k('fields.dates')}</legend>
          <span class="hint">{k('hints.dates')}</span>
          <TextField state={form} name="date1" label={k('fields.date1')} type="date" />
          <TextField state={form} name="date2" label={k('fields.date2')} type="date" />
          <TextField state={form} name="date3" label={k('fields.date3')} type="date" />
        </fieldset>
        <ChoiceGroup state={form} name="language" legend={k('fields.language')} options={['en', 'es', 'other'].map((l) => ({ value: l, label: t(`events.languages.${l}`) }))} />
        <ChoiceGroup state={form} name="topics" legend={k('fields.topics')} hint={k('hints.topics')} multiple options={TRAINING_TOPICS.map((topic) => ({ value: topic, label: t(`events.topics.${topic}`) }))} />
        <TextArea state={form} name="accessibility" label={k('fields.accessibility')} hint={k('hints.accessibility')} maxLength={2000} rows={3} />

        <h2>{k('sections.contact')}</h2>
        <TextField state={form} name="contactName" label={k('fields.contactName')} required maxLength={200} autocomplete="name" />
        <TextField state={form} name="contactEmail" label={k('fields.contactEmail')} type="email" required maxLength={254} autocomplete="email" />
        <TextField state={form} name="contactPhone" label={k('fields.contactPhone')} type="tel" maxLength={40} autocomplete="tel" />
        <p class="hint">{k('privacy')}</p>
        <div class="actions">
          <button type="submit">{k('submit')}</button>
        </div>
      </form>
    </Layout>
  );
}

export type RequestSentProps = { reference: string | undefined };

/** After sending: the reference to quote, also in the acknowledgement e-mail. */
export function RequestSentPage({ reference }: RequestSentProps) {
  const { t, href } = usePage();
  return (
    <Layout title={t('events.request.sent.title')} noindex>
      <h1>{t('events.request.sent.title')}</h1>
      <p class="notice notice-ok" role="status">{t('events.request.sent.thanks')}</p>
      {reference ? <p>{t('events.request.sent.reference')} <strong data-reference="">{reference}</strong></p> : null}
      <p class="prose">{t('events.request.sent.next')}</p>
      <p><a href={href('/')}>{t('events.request.sent.home')}</a></p>
    </Layout>
  );
}
