import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import { useOfficeTime } from '../../../../core/views/time.ts';
import { CsrfField } from '../../../../core/views/forms.tsx';
import type { RequestView } from '../queue.service.ts';
import type { RequestRefusal } from '../schema.ts';
import { MultiLine } from '../../shared/multi-line.tsx';
import { REQUEST_TRANSITIONS } from '../workflow.ts';

export type RequestPageProps = RequestView & { done?: string; error?: RequestRefusal };

function Facts({ view }: { view: RequestView }) {
  const { t } = usePage();
  const r = view.request;
  const dates = JSON.parse(r.preferredDates) as string[];
  const topics = JSON.parse(r.topics) as string[];
  const rows: [string, string][] = [
    [t('events.request.fields.organization'), r.organization],
    [t('events.request.fields.sector'), t(`events.sectors.${r.sector}`)],
    [t('events.request.fields.audienceSize'), String(r.audienceSize)],
    [t('events.request.fields.audienceAges'), r.audienceAges],
    [t('events.request.fields.format'), t(`events.formats.${r.format}`)],
    [t('events.request.fields.city'), r.city],
    [t('events.request.fields.dates'), dates.length ? dates.join(', ') : '—'],
    [t('events.request.fields.language'), t(`events.languages.${r.language}`)],
    [t('events.request.fields.topics'), topics.length ? topics.map((x) => t(`events.topics.${x}`)).join(', ') : '—'],
    [t('events.request.fields.accessibility'), r.accessibility || '—'],
    [t('events.request.fields.contactName'), r.contactName],
    [t('events.request.fields.contactEmail'), r.contactEmail],
    [t('events.request.fields.contactPhone'), r.contactPhone || '—'],
  ];
  return (
    <dl class="facts">
      {rows.map(([term, value]) => (
        <>
          <dt>{term}</dt>
          <dd><MultiLine text={value} /></dd>
        </>
      ))}
    </dl>
  );
}

/** One training request: what was asked, where it stands, and every action the office takes on it. */
export function RequestPage(props: RequestPageProps) {
  const { t } = usePage();
  const when = useOfficeTime();
  const r = props.request;
  const base = `/console/trainings/${r.id}`;
  const next = REQUEST_TRANSITIONS[r.status];
  const title = t('events.detail.title', { reference: r.reference });
  return (
    <ConsoleLayout title={title}>
      <p><a href="/console/trainings">{t('events.detail.back')}</a></p>
      <h1>{title}</h1>
      {props.done ? <p class="notice notice-ok" role="status">{t(`events.detail.done.${props.done}`)}</p> : null}
      {props.error ? <p class="notice notice-danger" role="alert">{t(`events.detail.refused.${props.error}`)}</p> : null}
      <p>
        <span class="badge">{t(`events.status.${r.status}`)}</span>{' '}
        {props.stale ? <span class="badge badge-warn">{t('events.queue.stale')}</span> : null}{' '}
        {t('events.detail.received', { when: when(r.createdAt, 'minute') })}
      </p>
      {r.declineReason ? <p>{t('events.detail.declineReason')} <MultiLine text={r.declineReason} /></p> : null}
      <Facts view={props} />

      {next.length ? (
        <section aria-labelledby="status-heading">
          <h2 id="status-heading">{t('events.detail.statusHeading')}</h2>
          <form method="post" action={`${base}/status`}>
            <CsrfField />
            <div class="field">
              <label for="to">{t('events.detail.moveTo')}</label>
              <select id="to" name="to">
                {next.map((s) => <option value={s}>{t(`events.status.${s}`)}</option>)}
              </select>
            </div>
            {next.includes('declined') ? (
              <div class="field">
                <label for="reason">{t('events.detail.reason')}</label>
                <span class="hint" id="reason-hint">{t('events.detail.reasonHint')}</span>
                <textarea id="reason" name="reason" rows={3} maxLength={2000} aria-describedby="reason-hint" />
              </div>
            ) : null}
            <button type="submit">{t('events.detail.move')}</button>
          </form>
        </section>
      ) : null}

      <section aria-labelledby="trainer-heading">
        <h2 id="trainer-heading">{t('events.detail.trainerHeading')}</h2>
        <form method="post" action={`${base}/assign`}>
          <CsrfField />
          <div class="field">
            <label for="trainerId">{t('events.detail.trainer')}</label>
            <select id="trainerId" name="trainerId">
              <option value="" selected={!r.trainerId}>{t('events.queue.unassigned')}</option>
              {props.trainers.map((tr) => <option value={tr.id} selected={tr.id === r.trainerId}>{tr.displayName}</option>)}
            </select>
          </div>
          <button type="submit" class="secondary">{t('events.detail.assign')}</button>
        </form>
      </section>

      <section aria-labelledby="event-heading">
        <h2 id="event-heading">{t('events.detail.eventHeading')}</h2>
        {r.eventId ? (
          <p><a href={`/console/events/${r.eventId}`}>{t('events.detail.openEvent')}</a></p>
        ) : r.status === 'declined' || r.status === 'closed' ? (
          <p>{t('events.detail.noEvent')}</p>
        ) : (
          <form method="post" action={`${base}/convert`}>
            <CsrfField />
            <p class="hint" id="convert-hint">{t('events.detail.convertHint')}</p>
            <button type="submit" class="secondary" aria-describedby="convert-hint">{t('events.detail.convert')}</button>
          </form>
        )}
      </section>

      <section aria-labelledby="notes-heading">
        <h2 id="notes-heading">{t('events.detail.notesHeading')}</h2>
        {props.notes.length ? (
          <ul class="notes">
            {props.notes.map((n) => (
              <li key={n.id}>
                <p class="hint">{t('events.detail.noteBy', { who: n.authorLabel, when: when(n.createdAt, 'minute') })}</p>
                <p><MultiLine text={n.body} /></p>
              </li>
            ))}
          </ul>
        ) : <p>{t('events.detail.noNotes')}</p>}
        <form method="post" action={`${base}/notes`}>
          <CsrfField />
          <div class="field">
            <label for="body">{t('events.detail.note')}</label>
            <textarea id="body" name="body" rows={3} maxLength={5000} />
          </div>
          <button type="submit" class="secondary">{t('events.detail.addNote')}</button>
        </form>
      </section>
    </ConsoleLayout>
  );
}
