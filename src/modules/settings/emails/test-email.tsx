import { type Catalogs, createTranslator } from '../../../core/i18n/catalog.ts';
import { EmailLayout, type RenderedEmail, renderEmail } from '../../../core/mail/render.tsx';

export type TestEmailProps = { locale: string; officeName: string; transport: 'smtp' | 'folder' };

/** "Your e-mail works": sent from the setup checklist through the outbox, as real messages are. */
export function testEmail(catalogs: Catalogs, p: TestEmailProps): RenderedEmail {
  const t = createTranslator(catalogs, p.locale);
  const params = { office: p.officeName };
  const subject = t('settings.email.test.subject', params);
  const body = t(`settings.email.test.${p.transport}`, params);
  const html = (
    <EmailLayout lang={p.locale} title={subject} office={p.officeName} footer={t('settings.email.test.footer', params)}>
      <p>{body}</p>
    </EmailLayout>
  );
  return renderEmail('settings.test', subject, html, [body, '', '--', t('settings.email.test.footer', params)].join('\n'));
}

export const sampleTestEmailProps: TestEmailProps = { locale: 'en', officeName: 'Demo County Office of the District Attorney', transport: 'smtp' };
