import { type Catalogs, createTranslator } from '../../../core/i18n/catalog.ts';
import { EmailLayout, type RenderedEmail, renderEmail } from '../../../core/mail/render.tsx';

export type AcknowledgementProps = { locale: string; officeName: string; contactName: string; organization: string; reference: string; contactEmail: string };

/** "We received your request": the reference number to quote, and what happens next. */
export function acknowledgementEmail(catalogs: Catalogs, p: AcknowledgementProps): RenderedEmail {
  const t = createTranslator(catalogs, p.locale);
  const params = { name: p.contactName, organization: p.organization, reference: p.reference, office: p.officeName, contact: p.contactEmail };
  const subject = t('events.requestEmail.ack.subject', params);
  const lines = [t('events.requestEmail.greeting', params), t('events.requestEmail.ack.body', params), t('events.requestEmail.ack.reference', params), t('events.requestEmail.ack.next', params)];
  const html = (
    <EmailLayout lang={p.locale} title={subject} office={p.officeName} footer={t('events.requestEmail.footer', params)}>
      {lines.map((line) => <p>{line}</p>)}
    </EmailLayout>
  );
  return renderEmail('events.request_ack', subject, html, [...lines, '', '--', t('events.requestEmail.footer', params)].join('\n\n'));
}

export type DeclinedProps = { locale: string; officeName: string; contactName: string; organization: string; reference: string; reason: string };

/** "We cannot host this training", with the office's reason in its own words. */
export function declinedEmail(catalogs: Catalogs, p: DeclinedProps): RenderedEmail {
  const t = createTranslator(catalogs, p.locale);
  const params = { name: p.contactName, organization: p.organization, reference: p.reference, office: p.officeName };
  const subject = t('events.requestEmail.declined.subject', params);
  const html = (
    <EmailLayout lang={p.locale} title={subject} office={p.officeName} footer={t('events.requestEmail.footer', params)}>
      <p>{t('events.requestEmail.greeting', params)}</p>
      <p>{t('events.requestEmail.declined.body', params)}</p>
      <blockquote style="white-space:pre-wrap;border-left:3px solid #c4c9d0;margin:0;padding-left:12px">{p.reason}</blockquote>
      <p>{t('events.requestEmail.declined.after', params)}</p>
    </EmailLayout>
  );
  const text = [t('events.requestEmail.greeting', params), t('events.requestEmail.declined.body', params), p.reason, t('events.requestEmail.declined.after', params), '--', t('events.requestEmail.footer', params)].join('\n\n');
  return renderEmail('events.request_declined', subject, html, text);
}
