import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { CsrfField, ErrorSummary, type FormState, SelectField, TextField } from '../../../core/views/forms.tsx';
import { PasskeyIsland } from './passkey-island.tsx';
import { OfficeTime, useOfficeTime } from '../../../core/views/time.ts';

export type OwnAccountPageProps = {
  email: string;
  displayName: string;
  roles: readonly string[];
  locale: string;
  totpEnabled: boolean;
  passkeys: { id: string; name: string; createdAt: string }[];
  recoveryCodesLeft: number;
  keysUnlocked: boolean;
  notice?: string;
};

export function OwnAccountPage(p: OwnAccountPageProps) {
  const { t, locales } = usePage();
  const time = useOfficeTime();
  return (
    <ConsoleLayout title={t('accounts.own.title')} scripts={['passkey.js']}>
      <h1>{t('accounts.own.title')}</h1>
      {p.notice ? <p class={p.notice === 'passkeyLastFactor' ? 'notice notice-danger' : 'notice notice-ok'} role="status">{t(`accounts.own.notice.${p.notice}`)}</p> : null}
      <dl>
        <dt>{t('accounts.fields.displayName')}</dt>
        <dd>{p.displayName}</dd>
        <dt>{t('accounts.fields.email')}</dt>
        <dd>{p.email}</dd>
        <dt>{t('accounts.fields.roles')}</dt>
        <dd>{p.roles.map((r) => t(`accounts.roles.${r}`)).join(', ')}</dd>
        <dt>{t('accounts.own.keys')}</dt>
        <dd>{p.keysUnlocked ? t('accounts.own.keysUnlocked') : <a href="/console/account/unlock">{t('accounts.own.keysLocked')}</a>}</dd>
      </dl>

      <h2>{t('accounts.own.languageTitle')}</h2>
      <form method="post" action="/console/account/locale" class="actions">
        <CsrfField />
        <SelectField
          state={{ values: { locale: p.locale }, errors: {} }}
          name="locale"
          label={t('accounts.fields.language')}
          options={locales.map((l) => ({ value: l, label: t(`common.languageName.${l}`) }))}
        />
        <button type="submit">{t('accounts.own.save')}</button>
      </form>

      <h2>{t('accounts.own.securityTitle')}</h2>
      <ul>
        <li><a href="/console/account/password">{t('accounts.own.changePassword')}</a></li>
        <li><a href="/console/account/sessions">{t('accounts.own.sessions')}</a></li>
      </ul>
      <p>{p.totpEnabled ? t('accounts.own.totpOn') : t('accounts.own.totpOff')}</p>
      {p.totpEnabled ? null : <p><a class="button" href="/console/account/two-factor/setup">{t('accounts.own.enrolTotp')}</a></p>}
      {p.totpEnabled || p.passkeys.length ? (
        <>
          <p>{t('accounts.own.recoveryLeft', { count: p.recoveryCodesLeft })}</p>
          <form method="post" action="/console/account/recovery-codes">
            <CsrfField />
            <button type="submit" class="secondary">{t('accounts.own.newRecoveryCodes')}</button>
          </form>
        </>
      ) : null}

      <h2>{t('accounts.passkeys.title')}</h2>
      <p>{t('accounts.passkeys.intro')}</p>
      {p.passkeys.length ? (
        <ul>
          {p.passkeys.map((k) => (
            <li key={k.id}>
              {k.name} <span class="hint">{t('accounts.passkeys.added', { date: time(k.createdAt, 'date') })}</span>
              <form method="post" action={`/console/account/passkeys/${encodeURIComponent(k.id)}/delete`} class="inline-form">
                <CsrfField />
                <button type="submit" class="secondary">{t('accounts.passkeys.remove')}</button>
              </form>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('accounts.passkeys.none')}</p>
      )}
      <PasskeyIsland mode="register" url="/console/account/passkeys" hint={t('accounts.passkeys.needsScript')} askPassword />
    </ConsoleLayout>
  );
}

export function PasswordPage({ form, done }: { form: FormState; done?: boolean }) {
  const { t, viewer } = usePage();
  return (
    <ConsoleLayout title={t('accounts.password.title')}>
      <h1>{t('accounts.password.title')}</h1>
      {done ? <p class="notice notice-ok" role="status">{t('accounts.password.done')}</p> : null}
      <p>{t('accounts.password.intro')}</p>
      <ErrorSummary errors={form.errors} />
      <form method="post" action="/console/account/password" novalidate>
        <CsrfField />
        <input type="text" name="username" value={viewer?.email} autocomplete="username" readonly hidden />
        <TextField state={form} name="current" type="password" label={t('accounts.fields.currentPassword')} autocomplete="current-password" required />
        <TextField state={form} name="password" type="password" label={t('accounts.fields.newPassword')} hint={t('accounts.fields.passwordHint')} autocomplete="new-password" required />
        <TextField state={form} name="confirm" type="password" label={t('accounts.fields.confirmPassword')} autocomplete="new-password" required />
        <button type="submit">{t('accounts.password.submit')}</button>
      </form>
    </ConsoleLayout>
  );
}

export type SessionsPageProps = {
  sessions: { id: string; device: string; createdAt: string; lastSeenAt: string; current: boolean }[];
  notice?: 'signedOutOthers' | 'revoked';
};

export function SessionsPage({ sessions, notice }: SessionsPageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('accounts.sessions.title')}>
      <h1>{t('accounts.sessions.title')}</h1>
      {notice ? <p class="notice notice-ok" role="status">{t(`accounts.sessions.notice.${notice}`)}</p> : null}
      <div class="table-wrap">
        <table class="table-stack">
          <caption class="visually-hidden">{t('accounts.sessions.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('accounts.sessions.device')}</th>
              <th scope="col">{t('accounts.sessions.started')}</th>
              <th scope="col">{t('accounts.sessions.lastSeen')}</th>
              <th scope="col"><span class="visually-hidden">{t('accounts.sessions.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td data-label={t('accounts.sessions.device')}>{s.device}{s.current ? <> <span class="badge badge-ok">{t('accounts.sessions.current')}</span></> : null}</td>
                <td data-label={t('accounts.sessions.started')}><OfficeTime at={s.createdAt} show="minute" /></td>
                <td data-label={t('accounts.sessions.lastSeen')}><OfficeTime at={s.lastSeenAt} show="minute" /></td>
                <td>
                  {s.current ? null : (
                    <form method="post" action={`/console/account/sessions/${s.id}/revoke`} class="inline-form">
                      <CsrfField />
                      <button type="submit" class="secondary">{t('accounts.sessions.revoke')}</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form method="post" action="/console/account/sessions/sign-out-everywhere" class="actions">
        <CsrfField />
        <button type="submit">{t('accounts.sessions.everywhere')}</button>
      </form>
    </ConsoleLayout>
  );
}
