import { type Catalogs, createTranslator } from '../../../core/i18n/catalog.ts';
import { formatInZone } from '../../../core/i18n/time.ts';
import { EmailLayout, type RenderedEmail, renderEmail } from '../../../core/mail/render.tsx';

export type ReceiptCeilingEmailProps = {
  locale: string;
  officeName: string;
  programName: string;
  /** Wrong codes per hour that tripped the ceiling. */
  ceiling: number;
  /** Minutes until codes are checked again. */
  minutes: number;
  /** When codes are checked again, shown in the office's time zone (an e-mail renders outside a request). */
  resumesAt: Date;
  timeZone: string;
  link: string;
};

/**
 * To administrators: the tip line reached its hourly ceiling of wrong receipt codes and checks
 * none until the hour ends. It carries no address and no code: none is kept.
 */
export function receiptCeilingEmail(catalogs: Catalogs, p: ReceiptCeilingEmailProps): RenderedEmail {
  const t = createTranslator(catalogs, p.locale);
  const params = { ceiling: p.ceiling, count: p.minutes, until: formatInZone(p.resumesAt, p.locale, p.timeZone, 'time'), office: p.officeName, program: p.programName };
  const subject = t('tips.email.receiptCeiling.subject', params);
  const body = t('tips.email.receiptCeiling.body', params);
  const advice = t('tips.email.receiptCeiling.advice', params);
  const html = (
    <EmailLayout lang={p.locale} title={subject} office={p.officeName} footer={t('tips.email.receiptCeiling.footer', params)}>
      <p>{body}</p>
      <p>{advice}</p>
      <p style="font-size:13px;color:#4a5360">{p.link}</p>
    </EmailLayout>
  );
  const text = [body, '', advice, '', p.link, '', '--', t('tips.email.receiptCeiling.footer', params)].join('\n');
  return renderEmail('tips.receipt_ceiling', subject, html, text);
}

export const sampleReceiptCeilingEmailProps: ReceiptCeilingEmailProps = {
  locale: 'en',
  officeName: 'Demo County Office of the District Attorney',
  programName: 'HEAT Watch',
  ceiling: 500,
  minutes: 42,
  resumesAt: new Date('2026-12-02T00:00:00.000Z'),
  timeZone: 'America/Los_Angeles',
  link: 'http://127.0.0.1:3000/console',
};
