import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { ChoiceGroup, CsrfField, ErrorSummary, type FormState, TextField } from '../../../core/views/forms.tsx';

export function SetupPage({ form, token, locales }: { form: FormState; token: string; locales: readonly string[] }) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('accounts.setup.title')} bare>
      <h1>{t('accounts.setup.title')}</h1>
      <p>{t('accounts.setup.intro')}</p>
      <ErrorSummary errors={form.errors} />
      <form method="post" action={`/setup?token=${encodeURIComponent(token)}`} novalidate>
        <CsrfField />
        <fieldset>
          <legend>{t('accounts.setup.officeLegend')}</legend>
          <TextField state={form} name="officeName" label={t('accounts.setup.officeName')} hint={t('accounts.setup.officeNameHint')} required maxLength={120} />
          <TextField state={form} name="county" label={t('accounts.setup.county')} required maxLength={80} />
          <TextField state={form} name="state" label={t('accounts.setup.state')} required maxLength={40} />
          <TextField state={form} name="localTipPhone" type="tel" label={t('accounts.setup.localTipPhone')} hint={t('accounts.setup.localTipPhoneHint')} maxLength={40} />
          <ChoiceGroup state={form} name="languages" legend={t('accounts.setup.languages')} hint={t('accounts.setup.languagesHint')} multiple options={locales.map((l) => ({ value: l, label: t(`common.languageName.${l}`) }))} />
        </fieldset>
        <fieldset>
          <legend>{t('accounts.setup.mapLegend')}</legend>
          <p class="hint">{t('accounts.setup.mapHint')}</p>
          <TextField state={form} name="mapLat" label={t('accounts.setup.mapLat')} inputMode="decimal" maxLength={20} />
          <TextField state={form} name="mapLng" label={t('accounts.setup.mapLng')} inputMode="decimal" maxLength={20} />
          <TextField state={form} name="mapZoom" label={t('accounts.setup.mapZoom')} hint={t('accounts.setup.mapZoomHint')} inputMode="numeric" maxLength={2} />
          <TextField state={form} name="noticeThirdLanguage" label={t('accounts.setup.noticeThirdLanguage')} hint={t('accounts.setup.noticeThirdLanguageHint')} maxLength={40} />
        </fieldset>
        <fieldset>
          <legend>{t('accounts.setup.adminLegend')}</legend>
          <TextField state={form} name="adminName" label={t('accounts.fields.displayName')} required maxLength={120} />
          <TextField state={form} name="adminEmail" type="email" label={t('accounts.fields.email')} autocomplete="username" required />
          <TextField state={form} name="password" type="password" label={t('accounts.fields.newPassword')} hint={t('accounts.fields.passwordHint')} autocomplete="new-password" required />
          <TextField state={form} name="confirm" type="password" label={t('accounts.fields.confirmPassword')} autocomplete="new-password" required />
        </fieldset>
        <ChoiceGroup state={form} name="removeDemo" legend={t('accounts.setup.demoLegend')} hint={t('accounts.setup.removeDemoHint')} multiple options={[{ value: 'yes', label: t('accounts.setup.removeDemo') }]} />
        <button type="submit">{t('accounts.setup.submit')}</button>
      </form>
    </ConsoleLayout>
  );
}

/** The key in its groups, each kept whole on one line; a line may break only after a dash. */
function KeyGroups({ recoveryKey }: { recoveryKey: string }) {
  const groups = recoveryKey.split('-');
  return (
    <p class="secret-box recovery-key">
      {groups.map((group, i) => (
        <>
          <span class="key-group">{group}</span>
          {i < groups.length - 1 ? <>-<wbr /></> : null}
        </>
      ))}
    </p>
  );
}

/**
 * Shown once, as the answer to the setup post: the office recovery key is never stored. The way
 * on is a form whose box the administrator must tick, so nobody leaves by habit before the key
 * is printed or written down (the browser enforces it, no script needed).
 */
export function SetupDonePage({ recoveryKey, fingerprint, officeName }: { recoveryKey: string; fingerprint: string; officeName: string }) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('accounts.setupDone.title')} bare officeName={officeName} scripts={['print.js']}>
      <div class="recovery-sheet">
        <h1>{t('accounts.setupDone.title')}</h1>
        <p class="notice notice-danger" role="alert">{t('accounts.setupDone.once')}</p>
        <h2>{t('accounts.setupDone.keyHeading', { office: officeName })}</h2>
        <KeyGroups recoveryKey={recoveryKey} />
        <p>{t('accounts.setupDone.fingerprint')} <code>{fingerprint}</code></p>
        <h2>{t('accounts.setupDone.whatTitle')}</h2>
        <p>{t('accounts.setupDone.what')}</p>
        <h2>{t('accounts.setupDone.storeTitle')}</h2>
        <ul>
          <li>{t('accounts.setupDone.store1')}</li>
          <li>{t('accounts.setupDone.store2')}</li>
          <li>{t('accounts.setupDone.store3')}</li>
        </ul>
        <p class="no-print">
          <button type="button" class="secondary" data-print="" hidden>{t('accounts.setupDone.printButton')}</button>{' '}
          <span>{t('accounts.setupDone.print')}</span>
        </p>
      </div>
      <form method="get" action="/console/sign-in" class="no-print stored-confirm">
        <div class="field">
          <label class="choice" for="stored">
            <input id="stored" name="stored" type="checkbox" value="yes" required />
            <span>{t('accounts.setupDone.stored')}</span>
          </label>
        </div>
        <button type="submit">{t('accounts.setupDone.continue')}</button>
      </form>
    </ConsoleLayout>
  );
}
