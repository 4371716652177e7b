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
  /** Who sent the invitation, by name; absent when it came from the command line. */
  inviterName?: string | undefined;
  /** The roles the invitation gives (invitations only). */
  roles?: readonly string[];
};

/** Long links must wrap in a narrow mail client instead of widening the message. */
const WRAP = 'word-break:break-all;overflow-wrap:anywhere';

/**
 * The invitation (or password reset) e-mail: a single-use link and nothing else of value. An
 * invitation says who sent it and with which roles, so the person can tell it from a phish.
 */
export function invitationEmail(catalogs: Catalogs, p: InvitationEmailProps): RenderedEmail {
  const t = createTranslator(catalogs, p.locale);
  const k = (key: string) => `accounts.email.${p.kind}.${key}`;
  const roles = new Intl.ListFormat(p.locale, { type: 'conjunction' }).format((p.roles ?? []).map((r) => t(`accounts.roles.${r}`)));
  const params = { name: p.displayName, office: p.officeName, program: p.programName, hours: p.expiresHours, inviter: p.inviterName ?? '', roles };
  const subject = t(k('subject'), params);
  const body = p.kind === 'reset' ? t(k('body'), params) : t(p.inviterName ? k('bodyBy') : k('bodyAs'), params);
  const html = (
    <EmailLayout lang={p.locale} title={subject} office={p.officeName} footer={t('accounts.email.footer', params)}>
      <p>{t('accounts.email.greeting', params)}</p>
      <p>{body}</p>
      <p>
        <a href={p.link} style="display:inline-block;background:#0b4f6c;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none;font-weight:600">
          {t(k('button'), params)}
        </a>
      </p>
      <p>{t('accounts.email.expires', params)}</p>
      <p style="font-size:13px;color:#4a5360">{t('accounts.email.copyLink')}</p>
      <p style={`font-size:13px;color:#4a5360;${WRAP}`}>
        <a href={p.link} style={`color:#0b4f6c;${WRAP}`}>{p.link}</a>
      </p>
    </EmailLayout>
  );
  const text = [
    t('accounts.email.greeting', params),
    '',
    body,
    '',
    t(k('linkIntro'), params),
    p.link,
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
  inviterName: 'Ana Administrator',
  roles: ['tip_reviewer', 'investigator'],
};
