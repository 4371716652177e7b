import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { CsrfField, ErrorSummary, type FormState, TextField } from '../../../core/views/forms.tsx';
import { PasskeyIsland } from './passkey-island.tsx';

export type SignInPageProps = { form: FormState; next: string; notice?: 'signedOut' | 'expired' | 'kept' | 'passwordSet' | 'secondFactorEnded'; lockedMinutes?: number };

export function SignInPage({ form, next, notice, lockedMinutes }: SignInPageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('accounts.signIn.title')} bare>
      <h1>{t('accounts.signIn.title')}</h1>
      {notice ? <p class="notice" role="status">{t(`accounts.signIn.notice.${notice}`)}</p> : null}
      {lockedMinutes ? <p class="notice notice-danger" role="alert">{t('accounts.signIn.locked', { count: lockedMinutes })}</p> : null}
      <ErrorSummary errors={form.errors} />
      <form method="post" action="/console/sign-in" novalidate>
        <CsrfField />
        <input type="hidden" name="next" value={next} />
        <TextField state={form} name="email" type="email" label={t('accounts.fields.email')} autocomplete="username" required />
        <TextField state={form} name="password" type="password" label={t('accounts.fields.password')} autocomplete="current-password" required />
        <button type="submit">{t('accounts.signIn.submit')}</button>
      </form>
      <p class="hint">{t('accounts.signIn.help')}</p>
    </ConsoleLayout>
  );
}

export type SecondFactorPageProps = { form: FormState; hasTotp: boolean; hasPasskey: boolean; attemptsLeft?: number };

export function SecondFactorPage({ form, hasTotp, hasPasskey, attemptsLeft }: SecondFactorPageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('accounts.secondFactor.title')} bare scripts={hasPasskey ? ['passkey.js'] : undefined}>
      <h1>{t('accounts.secondFactor.title')}</h1>
      <ErrorSummary errors={form.errors} />
      {attemptsLeft !== undefined ? <p class="notice notice-danger" role="alert">{t('accounts.secondFactor.attemptsLeft', { count: attemptsLeft })}</p> : null}
      <form method="post" action="/console/sign-in/second-factor" novalidate>
        <CsrfField />
        <TextField
          state={form}
          name="code"
          label={t(hasTotp ? 'accounts.secondFactor.codeLabel' : 'accounts.secondFactor.recoveryLabel')}
          hint={t('accounts.secondFactor.codeHint')}
          autocomplete="one-time-code"
          inputMode="text"
          keepValue={false}
          required
        />
        <button type="submit">{t('accounts.secondFactor.submit')}</button>
      </form>
      {hasPasskey ? <PasskeyIsland mode="signin" url="/console/sign-in/passkey" hint={t('accounts.passkeys.signInHint')} /> : null}
      <form method="post" action="/console/sign-out" class="actions">
        <CsrfField />
        <button type="submit" class="secondary">{t('accounts.secondFactor.cancel')}</button>
      </form>
    </ConsoleLayout>
  );
}

export type EnrolPageProps = {
  form: FormState;
  secret: string;
  uri: string;
  /** A first enrolment may choose a passkey instead (with JavaScript); TOTP always works. */
  offerPasskey?: boolean;
  /** A signed-in session replacing the authenticator app gives the password again. */
  askPassword?: boolean;
};

/** Shows the TOTP secret as a QR code and as text, for people who cannot scan. */
export function EnrolTotpPage({ form, secret, offerPasskey, askPassword }: EnrolPageProps) {
  const { t } = usePage();
  const grouped = secret.match(/.{1,4}/g)!.join(' ');
  return (
    <ConsoleLayout title={t('accounts.enrol.title')} bare scripts={offerPasskey ? ['passkey.js'] : undefined}>
      <h1>{t('accounts.enrol.title')}</h1>
      <p>{t('accounts.enrol.intro')}</p>
      <ol>
        <li>{t('accounts.enrol.step1')}</li>
        <li>
          {t('accounts.enrol.step2')}
          <p><img src="/console/account/two-factor/qr.svg" width={200} height={200} alt={t('accounts.enrol.qrAlt')} /></p>
          <p>{t('accounts.enrol.manual')}</p>
          <p class="secret-box"><span class="visually-hidden">{t('accounts.enrol.secretLabel')}: </span>{grouped}</p>
        </li>
        <li>{t('accounts.enrol.step3')}</li>
      </ol>
      <ErrorSummary errors={form.errors} />
      <form method="post" action="/console/account/two-factor/setup" novalidate>
        <CsrfField />
        {askPassword ? <TextField state={form} name="password" type="password" label={t('accounts.reauth.passwordLabel')} hint={t('accounts.reauth.passwordHint')} autocomplete="current-password" required /> : null}
        <TextField state={form} name="code" label={t('accounts.enrol.codeLabel')} autocomplete="one-time-code" inputMode="numeric" keepValue={false} required />
        <button type="submit">{t('accounts.enrol.submit')}</button>
      </form>
      {offerPasskey ? (
        <section aria-labelledby="passkey-enrol-title">
          <h2 id="passkey-enrol-title">{t('accounts.passkeys.enrolTitle')}</h2>
          <p>{t('accounts.passkeys.enrolIntro')}</p>
          <PasskeyIsland mode="register" url="/console/account/two-factor/passkey" hint={t('accounts.passkeys.needsScript')} />
        </section>
      ) : null}
    </ConsoleLayout>
  );
}

export function RecoveryCodesPage({ codes }: { codes: string[] }) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('accounts.recovery.title')}>
      <h1 id="recovery-title">{t('accounts.recovery.title')}</h1>
      <p class="notice notice-danger">{t('accounts.recovery.once')}</p>
      <ul class="code-list" aria-labelledby="recovery-title">
        {codes.map((c) => <li key={c}>{c}</li>)}
      </ul>
      <p>{t('accounts.recovery.howTo')}</p>
      <p><a class="button" href="/console">{t('accounts.recovery.continue')}</a></p>
    </ConsoleLayout>
  );
}

export type InvitationPageProps = { form: FormState; kind: 'invite' | 'reset'; email: string; displayName: string; token: string };

export function InvitationPage({ form, kind, email, displayName, token }: InvitationPageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t(`accounts.invitation.${kind}.title`)} bare>
      <h1>{t(`accounts.invitation.${kind}.title`)}</h1>
      <p>{t(`accounts.invitation.${kind}.intro`, { name: displayName, email })}</p>
      {kind === 'reset' ? <p class="notice">{t('accounts.invitation.reset.keysNote')}</p> : null}
      <ErrorSummary errors={form.errors} />
      <form method="post" action={`/console/invitations/${token}`} novalidate>
        <CsrfField />
        <input type="text" name="username" value={email} autocomplete="username" readonly hidden />
        <TextField state={form} name="password" type="password" label={t('accounts.fields.newPassword')} hint={t('accounts.fields.passwordHint')} autocomplete="new-password" required />
        <TextField state={form} name="confirm" type="password" label={t('accounts.fields.confirmPassword')} autocomplete="new-password" required />
        <button type="submit">{t(`accounts.invitation.${kind}.submit`)}</button>
      </form>
    </ConsoleLayout>
  );
}

export function UnlockPage({ form, next, lockedMinutes }: { form: FormState; next: string; lockedMinutes?: number }) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('accounts.unlock.title')}>
      <h1>{t('accounts.unlock.title')}</h1>
      <p>{t('accounts.unlock.intro')}</p>
      {lockedMinutes ? <p class="notice notice-danger" role="alert">{t('accounts.signIn.locked', { count: lockedMinutes })}</p> : null}
      <ErrorSummary errors={form.errors} />
      <form method="post" action="/console/account/unlock" novalidate>
        <CsrfField />
        <input type="hidden" name="next" value={next} />
        <TextField state={form} name="password" type="password" label={t('accounts.fields.password')} autocomplete="current-password" required />
        <button type="submit">{t('accounts.unlock.submit')}</button>
      </form>
    </ConsoleLayout>
  );
}

/** A used, revoked, expired or unknown link: one answer for all, so links cannot be probed. */
export function InvitationGone() {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('accounts.invitation.gone.title')} bare>
      <h1>{t('accounts.invitation.gone.title')}</h1>
      <p>{t('accounts.invitation.gone.body')}</p>
    </ConsoleLayout>
  );
}
