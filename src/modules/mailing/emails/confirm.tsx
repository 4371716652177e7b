import { type Catalogs, createTranslator } from '../../../core/i18n/catalog.ts';
import { EmailLayout, type RenderedEmail, renderEmail } from '../../../core/mail/render.tsx';

export type ConfirmEmailProps = {
  locale: string;
  officeName: string;
  /** The topics asked for, as the subscriber reads them. */
  topics: string[];
  link: string;
  /** Already on the list: confirming changes the topics rather than starting a subscription. */
  alreadySubscribed: boolean;
};

/** The link that turns a request into a subscription. It says what was asked and that ignoring it is safe. */
export function confirmEmail(catalogs: Catalogs, p: ConfirmEmailProps): RenderedEmail {
  const t = createTranslator(catalogs, p.locale);
  const params = { office: p.officeName, topics: p.topics.join(', ') };
  const subject = t('mailing.email.confirm.subject', params);
  const lead = t(p.alreadySubscribed ? 'mailing.email.confirm.leadKnown' : 'mailing.email.confirm.lead', params);
  const topics = t('mailing.email.confirm.topics', params);
  const action = t('mailing.email.confirm.action', params);
  const ignore = t('mailing.email.confirm.ignore', params);
  const footer = t('mailing.email.confirm.footer', params);
  const html = (
    <EmailLayout lang={p.locale} title={subject} office={p.officeName} footer={footer}>
      <p>{lead}</p>
      <p>{topics}</p>
      <p><a href={p.link} style="color:#083a50;font-weight:700">{action}</a></p>
      <p style="font-size:13px;color:#4a5360;word-break:break-all">{p.link}</p>
      <p>{ignore}</p>
    </EmailLayout>
  );
  const text = [lead, '', topics, '', `${action}:`, p.link, '', ignore, '', '--', footer].join('\n');
  return renderEmail('mailing.confirm', subject, html, text);
}
