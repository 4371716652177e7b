import { usePage } from '../../../../core/views/context.ts';
import { CsrfField, ErrorSummary, type FormState, TextArea, TextField } from '../../../../core/views/forms.tsx';
import { Layout } from '../../../../core/views/layout.tsx';
import { useOfficeTime } from '../../../../core/views/time.ts';
import { Honeypot } from '../../shared/honeypot.tsx';
import { MultiLine } from '../../shared/multi-line.tsx';
import type { EventRow } from '../../tables.ts';

export type EventPageProps = { event: EventRow; seatsLeft: number; form: FormState; notice?: 'expired' | 'check' | 'tooMany' | 'closed'; retryMinutes?: number };

/** What, when (in the office's zone), where or "online", language and seats left; then the registration form. */
export function EventPage({ event, seatsLeft, form, notice, retryMinutes }: EventPageProps) {
  const { t, href } = usePage();
  const when = useOfficeTime();
  const open = event.status === 'published';
  return (
    <Layout title={event.title} description={event.description.slice(0, 160)} noindex={!event.listed}>
      <h1>{event.title}</h1>
      {event.status === 'cancelled' ? <p class="notice notice-danger" role="status">{t('events.public.cancelled')}</p> : null}
      <dl class="facts">
        <dt>{t('events.public.when')}</dt>
        <dd>{when(event.startsAt, 'minute')} – {when(event.endsAt, 'time')}</dd>
        <dt>{t('events.public.where')}</dt>
        <dd>{event.online ? t('events.public.onlineHint') : event.location}</dd>
        <dt>{t('events.public.language')}</dt>
        <dd>{t(`common.languageName.${event.language}`)}</dd>
        <dt>{t('events.public.seats')}</dt>
        <dd data-seats-left="">{seatsLeft > 0 ? t('events.public.seatsLeft', { count: seatsLeft }) : t('events.public.full')}</dd>
      </dl>
      <p class="prose"><MultiLine text={event.description} /></p>
      {open ? (
        <section aria-labelledby="register-heading">
          <h2 id="register-heading">{seatsLeft > 0 ? t('events.public.register') : t('events.public.joinWaitlist')}</h2>
          {notice === 'tooMany' ? (
            <p class="notice notice-danger" role="alert">{t('events.request.notice.tooMany', { count: retryMinutes ?? 60 })}</p>
          ) : notice ? (
            <p class="notice notice-danger" role="alert">{t(`events.public.notice.${notice}`)}</p>
          ) : null}
          <ErrorSummary errors={form.errors} />
          <form method="post" action={href(`/events/${event.id}/register`)} novalidate>
            <CsrfField />
            <Honeypot />
            <TextField state={form} name="name" label={t('events.public.fields.name')} required maxLength={200} autocomplete="name" />
            <TextField state={form} name="email" label={t('events.public.fields.email')} type="email" required maxLength={254} autocomplete="email" />
            <TextField state={form} name="organization" label={t('events.public.fields.organization')} maxLength={200} autocomplete="organization" />
            <TextArea state={form} name="accessibility" label={t('events.public.fields.accessibility')} maxLength={2000} rows={3} />
            <div class="field">
              <label class="choice" for="consent">
                <input id="consent" type="checkbox" name="consent" value="yes" checked={form.values.consent === 'yes'} />
                <span>{t('events.public.fields.consent')}</span>
              </label>
            </div>
            <div class="actions">
              <button type="submit">{seatsLeft > 0 ? t('events.public.register') : t('events.public.joinWaitlist')}</button>
            </div>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

/** After registering: a seat, or a place on the waitlist; the e-mail has the details and the cancel link. */
export function RegisteredPage({ event, status }: { event: EventRow; status: 'registered' | 'waitlisted' | undefined }) {
  const { t, href } = usePage();
  const key = status ?? 'registered';
  return (
    <Layout title={t(`events.public.done.${key}.title`)} noindex>
      <h1>{t(`events.public.done.${key}.title`)}</h1>
      <p class="notice notice-ok" role="status">{t(`events.public.done.${key}.body`, { title: event.title })}</p>
      <p>{t('events.public.done.email')}</p>
      <p><a href={href(`/events/${event.id}`)}>{t('events.public.backToEvent')}</a></p>
    </Layout>
  );
}

/** The cancel link's page: a button, so that a mail scanner opening the link cancels nothing. */
export function CancelPage({ event, state }: { event: EventRow; state: 'ask' | 'cancelled' | 'already' }) {
  const { t, href } = usePage();
  const when = useOfficeTime();
  return (
    <Layout title={t('events.public.cancel.title')} noindex>
      <h1>{t('events.public.cancel.title')}</h1>
      <p>{event.title} · {when(event.startsAt, 'minute')}</p>
      {state === 'ask' ? (
        <form method="post">
          <CsrfField />
          <button type="submit">{t('events.public.cancel.confirm')}</button>
        </form>
      ) : (
        <p class="notice notice-ok" role="status">{t(`events.public.cancel.${state}`)}</p>
      )}
      <p><a href={href('/events')}>{t('events.public.calendarLink')}</a></p>
    </Layout>
  );
}
