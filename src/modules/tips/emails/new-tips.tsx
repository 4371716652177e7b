import { type Catalogs, createTranslator } from '../../../core/i18n/catalog.ts';
import { EmailLayout, type RenderedEmail, renderEmail } from '../../../core/mail/render.tsx';

export type NewTipsEmailProps = {
  locale: string;
  officeName: string;
  programName: string;
  urgent: boolean;
  count: number;
  link: string;
};

/**
 * "A new tip has arrived" / "An urgent tip has arrived": a count and a link to the console,
 * nothing else. Mail passes through servers the office does not control, so it carries no
 * word of any tip, not even its kind or reference.
 */
export function newTipsEmail(catalogs: Catalogs, p: NewTipsEmailProps): RenderedEmail {
  const t = createTranslator(catalogs, p.locale);
  const k = p.urgent ? 'tips.email.urgent' : 'tips.email.digest';
  const params = { count: p.count, office: p.officeName, program: p.programName };
  const subject = t(`${k}.subject`, params);
  const html = (
    <EmailLayout lang={p.locale} title={subject} office={p.officeName} footer={t('tips.email.footer', params)}>
      <p>{t(`${k}.body`, params)}</p>
      <p>
        <a href={p.link} style="display:inline-block;background:#0b4f6c;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none;font-weight:600">
          {t('tips.email.button')}
        </a>
      </p>
      <p>{t('tips.email.noContent')}</p>
      <p style="font-size:13px;color:#4a5360">{p.link}</p>
    </EmailLayout>
  );
  const text = [t(`${k}.body`, params), '', `${t('tips.email.button')}: ${p.link}`, '', t('tips.email.noContent'), '', '--', t('tips.email.footer', params)].join('\n');
  return renderEmail(p.urgent ? 'tips.urgent' : 'tips.digest', subject, html, text);
}

export const sampleNewTipsEmailProps: NewTipsEmailProps = {
  locale: 'en',
  officeName: 'Demo County Office of the District Attorney',
  programName: 'HEAT Watch',
  urgent: true,
  count: 1,
  link: 'http://127.0.0.1:3000/console/tips?urgent=1',
};
