import { createTranslator, type Catalogs } from '../../../core/i18n/catalog.ts';
import { EmailLayout, renderEmail, type RenderedEmail } from '../../../core/mail/render.tsx';

export type InvitationEmailProps = {
  kind: 'invite' | 'reset';
  locale: string;
  displayName: string;
  officeName: string;
  programName: string;
  link: string;
  expiresHours: number;
};

/** The invitation (or password reset) e-mail: a single-use link and nothing else of value. */
export function invitationEmail(catalogs: Catalogs, p: InvitationEmailProps): RenderedEmail {
  const t = createTranslator(catalogs, p.locale);
  const k = (key: string) => `accounts.email.${p.kind}.${key}`;
  const params = { name: p.displayName, office: p.officeName, program: p.programName, hours: p.expiresHours };
  const subject = t(k('subject'), params);
  const html = (
    <EmailLayout lang={p.locale} title={subject} office={p.officeName} footer={t('accounts.email.footer', params)}>
      <p>{t('accounts.email.greeting', params)}</p>
      <p>{t(k('body'), params)}</p>
      <p>
        <a href={p.link} style="display:inline-block;background:#0b4f6c;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none;font-weight:600">
          {t(k('button'), params)}
        </a>
      </p>
      <p>{t('accounts.email.expires', params)}</p>
      <p style="font-size:13px;color:#4a5360">{p.link}</p>
    </EmailLayout>
  );
  const text = [
    t('accounts.email.greeting', params),
    '',
    t(k('body'), params),
    '',
    `${t(k('button'), params)}: ${p.link}`,
    '',
    t('accounts.email.expires', params),
    '',
    '--',
    t('accounts.email.footer', params),
  ].join('\n');
  return renderEmail(`accounts.${p.kind}`, subject, html, text);
}

export const sampleInvitationEmailProps: InvitationEmailProps = {
  kind: 'invite',
  locale: 'en',
  displayName: 'Dana Reviewer',
  officeName: 'Demo County Office of the District Attorney',
  programName: 'HEAT Watch',
  link: 'http://127.0.0.1:3000/console/invitations/abc',
  expiresHours: 72,
};
