import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { DataTable } from '../../../core/views/data-table.tsx';
import { ChoiceGroup, CsrfField, ErrorSummary, type FormState, SelectField, TextField } from '../../../core/views/forms.tsx';
import { ROLES } from '../../../core/auth/permissions.ts';
import { OfficeTime, useOfficeTime } from '../../../core/views/time.ts';

export type AccountSummary = { id: string; displayName: string; email: string; roles: string[]; status: string; totpEnabled: boolean; lastSignInAt: string | null };
export type InvitationSummary = { id: string; email: string; displayName: string; kind: string; expiresAt: string };

export function AccountsListPage({ accounts, invitations, notice }: { accounts: AccountSummary[]; invitations: InvitationSummary[]; notice?: string }) {
  const { t } = usePage();
  const time = useOfficeTime();
  return (
    <ConsoleLayout title={t('accounts.admin.listTitle')}>
      <h1>{t('accounts.admin.listTitle')}</h1>
      {notice ? <p class="notice notice-ok" role="status">{t(`accounts.admin.notice.${notice}`)}</p> : null}
      <p><a class="button" href="/console/accounts/invite">{t('accounts.admin.invite')}</a></p>
      <DataTable
        caption={t('accounts.admin.listTitle')}
        captionHidden
        wrap
        columns={[t('accounts.fields.displayName'), t('accounts.fields.email'), t('accounts.fields.roles'), t('accounts.admin.status'), t('accounts.admin.lastSignIn')]}
        rows={accounts.map((a) => ({
          key: a.id,
          cells: [
            <a href={`/console/accounts/${a.id}`}>{a.displayName}</a>,
            a.email,
            a.roles.map((r) => t(`accounts.roles.${r}`)).join(', '),
            <>
              <span class={`badge ${a.status === 'active' ? 'badge-ok' : 'badge-danger'}`}>{t(`accounts.status.${a.status}`)}</span>
              {a.status === 'active' && !a.totpEnabled ? <> <span class="badge badge-warn">{t('accounts.admin.no2fa')}</span></> : null}
            </>,
            a.lastSignInAt ? <OfficeTime at={a.lastSignInAt} show="date" /> : t('accounts.admin.never'),
          ],
        }))}
      />
      <h2>{t('accounts.admin.openInvitations')}</h2>
      {invitations.length === 0 ? (
        <p>{t('accounts.admin.noInvitations')}</p>
      ) : (
        <ul>
          {invitations.map((i) => (
            <li key={i.id}>
              {i.displayName} ({i.email}) · {t(`accounts.admin.kind.${i.kind}`)} · {t('accounts.admin.expires', { date: time(i.expiresAt, 'minute') })}{' '}
              <form method="post" action={`/console/accounts/invitations/${i.id}/revoke`} class="inline-form">
                <CsrfField />
                <button type="submit" class="secondary">{t('accounts.admin.revoke')}</button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </ConsoleLayout>
  );
}

export function InvitePage({ form, sentTo }: { form: FormState; sentTo?: string }) {
  const { t, locales } = usePage();
  return (
    <ConsoleLayout title={t('accounts.admin.inviteTitle')}>
      <h1>{t('accounts.admin.inviteTitle')}</h1>
      {sentTo ? <p class="notice notice-ok" role="status">{t('accounts.admin.inviteSent', { email: sentTo })}</p> : null}
      <p>{t('accounts.admin.inviteIntro')}</p>
      <ErrorSummary errors={form.errors} />
      <form method="post" action="/console/accounts/invite" novalidate>
        <CsrfField />
        <TextField state={form} name="displayName" label={t('accounts.fields.displayName')} autocomplete="off" required maxLength={120} />
        <TextField state={form} name="email" type="email" label={t('accounts.fields.email')} autocomplete="off" required />
        <ChoiceGroup state={form} name="roles" legend={t('accounts.fields.roles')} hint={t('accounts.admin.rolesHint')} multiple options={ROLES.map((r) => ({ value: r, label: `${t(`accounts.roles.${r}`)}: ${t(`accounts.roleHelp.${r}`)}` }))} />
        <SelectField state={form} name="locale" label={t('accounts.fields.language')} options={locales.map((l) => ({ value: l, label: t(`common.languageName.${l}`) }))} />
        <button type="submit">{t('accounts.admin.sendInvite')}</button>
      </form>
    </ConsoleLayout>
  );
}

export type AccountDetailProps = { account: AccountSummary & { createdAt: string; keysCreatedAt: string }; form: FormState; notice?: string; isSelf: boolean };

export function AccountDetailPage({ account, form, notice, isSelf }: AccountDetailProps) {
  const { t } = usePage();
  const rolesState: FormState = form.values.roles ? form : { values: { roles: account.roles }, errors: form.errors };
  return (
    <ConsoleLayout title={account.displayName}>
      <p><a href="/console/accounts">{t('accounts.admin.back')}</a></p>
      <h1>{account.displayName}</h1>
      {notice ? <p class="notice notice-ok" role="status">{t(`accounts.admin.notice.${notice}`)}</p> : null}
      <ErrorSummary errors={form.errors} />
      <dl>
        <dt>{t('accounts.fields.email')}</dt>
        <dd>{account.email}</dd>
        <dt>{t('accounts.admin.status')}</dt>
        <dd>{t(`accounts.status.${account.status}`)}</dd>
        <dt>{t('accounts.admin.secondFactor')}</dt>
        <dd>{account.totpEnabled ? t('accounts.admin.totpOn') : t('accounts.admin.no2fa')}</dd>
        <dt>{t('accounts.admin.created')}</dt>
        <dd><OfficeTime at={account.createdAt} show="date" /></dd>
        <dt>{t('accounts.admin.keysCreated')}</dt>
        <dd><OfficeTime at={account.keysCreatedAt} show="date" /></dd>
      </dl>
      <form method="post" action={`/console/accounts/${account.id}/roles`} novalidate>
        <CsrfField />
        <ChoiceGroup state={rolesState} name="roles" legend={t('accounts.fields.roles')} multiple options={ROLES.map((r) => ({ value: r, label: t(`accounts.roles.${r}`) }))} />
        <button type="submit">{t('accounts.admin.saveRoles')}</button>
      </form>
      {isSelf ? null : (
        <>
          <h2>{t('accounts.admin.actions')}</h2>
          <div class="actions">
            <form method="post" action={`/console/accounts/${account.id}/reset-password`} class="inline-form">
              <CsrfField />
              <button type="submit" class="secondary">{t('accounts.admin.resetPassword')}</button>
            </form>
            <form method="post" action={`/console/accounts/${account.id}/reset-second-factor`} class="inline-form">
              <CsrfField />
              <button type="submit" class="secondary">{t('accounts.admin.reset2fa')}</button>
            </form>
            <form method="post" action={`/console/accounts/${account.id}/status`} class="inline-form">
              <CsrfField />
              <input type="hidden" name="active" value={account.status === 'active' ? 'no' : 'yes'} />
              <button type="submit" class={account.status === 'active' ? 'button-danger' : ''}>
                {account.status === 'active' ? t('accounts.admin.deactivate') : t('accounts.admin.reactivate')}
              </button>
            </form>
          </div>
          <p class="hint">{t('accounts.admin.resetHint')}</p>
        </>
      )}
    </ConsoleLayout>
  );
}
