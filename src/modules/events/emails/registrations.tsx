import { type Catalogs, createTranslator } from '../../../core/i18n/catalog.ts';
import { formatInZone } from '../../../core/i18n/time.ts';
import { EmailLayout, type RenderedEmail, renderEmail } from '../../../core/mail/render.tsx';
import type { EventRow } from '../tables.ts';

export type RegistrationEmailProps = {
  locale: string;
  officeName: string;
  timeZone: string;
  event: EventRow;
  name: string;
  status: 'registered' | 'waitlisted';
  cancelLink: string;
};

/**
 * "You are registered" or "you are on the waitlist": when and where, the meeting link for an
 * online event (only here, never on a public page), and the link that cancels without an account.
 */
export function registrationEmail(catalogs: Catalogs, p: RegistrationEmailProps): RenderedEmail {
  const t = createTranslator(catalogs, p.locale);
  const when = `${formatInZone(p.event.startsAt, p.locale, p.timeZone, 'minute')} – ${formatInZone(p.event.endsAt, p.locale, p.timeZone, 'time')}`;
  const where = p.event.online ? t('events.public.online') : p.event.location;
  const params = { name: p.name, title: p.event.title, when, where, office: p.officeName };
  const k = `events.registrationEmail.${p.status}`;
  const subject = t(`${k}.subject`, params);
  const meeting = p.status === 'registered' && p.event.online && p.event.meetingUrl ? p.event.meetingUrl : undefined;
  const html = (
    <EmailLayout lang={p.locale} title={subject} office={p.officeName} footer={t('events.registrationEmail.footer', params)}>
      <p>{t('events.requestEmail.greeting', params)}</p>
      <p>{t(`${k}.body`, params)}</p>
      <p>{t('events.registrationEmail.when', params)}<br />{t('events.registrationEmail.where', params)}</p>
      {meeting ? <p>{t('events.registrationEmail.meeting')} <a href={meeting}>{meeting}</a></p> : null}
      <p>{t('events.registrationEmail.cancel')} <a href={p.cancelLink}>{p.cancelLink}</a></p>
    </EmailLayout>
  );
  const text = [
    t('events.requestEmail.greeting', params),
    t(`${k}.body`, params),
    `${t('events.registrationEmail.when', params)}\n${t('events.registrationEmail.where', params)}`,
    ...(meeting ? [`${t('events.registrationEmail.meeting')} ${meeting}`] : []),
    `${t('events.registrationEmail.cancel')} ${p.cancelLink}`,
    '--',
    t('events.registrationEmail.footer', params),
  ].join('\n\n');
  return renderEmail(`events.${p.status}`, subject, html, text);
}
