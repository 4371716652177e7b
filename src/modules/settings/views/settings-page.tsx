import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { ChoiceGroup, CsrfField, ErrorSummary, FileField, type FormState, SelectField, TextArea, TextField } from '../../../core/views/forms.tsx';
import { knownTimeZones } from '../../../core/i18n/time.ts';
import type { OfficeSettings } from '../../../core/settings/settings.ts';
import { LOGO_TYPES, MAX_LOGO_BYTES } from '../logo.service.ts';

export type SettingsPageProps = {
  form: FormState;
  /** Languages this installation has catalogs for: the ones an office can offer. */
  available: readonly string[];
  demo: boolean;
  notice?: 'saved' | 'unchanged' | 'logoSaved' | 'logoRemoved';
  logo?: OfficeSettings['letterheadLogo'];
  /** The logo form's errors, when an upload was refused. */
  logoForm?: FormState;
};

/** The letterhead logo: its own multipart form, so the main form stays a plain one. */
function LogoForm({ logo, form }: { logo: OfficeSettings['letterheadLogo']; form: FormState }) {
  const { t } = usePage();
  return (
    <section aria-labelledby="logo-heading">
      <h2 id="logo-heading">{t('settings.logo.heading')}</h2>
      <p class="hint">{t('settings.logo.intro')}</p>
      {logo ? <p><img src={logo.dataUrl} alt={t('settings.logo.current')} width={logo.width} height={logo.height} class="settings-logo" /></p> : <p>{t('settings.logo.none')}</p>}
      <ErrorSummary errors={form.errors} />
      <form method="post" action="/console/settings/logo" enctype="multipart/form-data" novalidate>
        <CsrfField />
        <FileField state={form} name="logo" label={t('settings.logo.file')} hint={t('settings.logo.hint', { mb: MAX_LOGO_BYTES / 1024 / 1024 })} accept={LOGO_TYPES} />
        <div class="actions">
          <button type="submit">{t('settings.logo.upload')}</button>
          {logo ? <button type="submit" name="remove" value="1" class="secondary">{t('settings.logo.remove')}</button> : null}
        </div>
      </form>
    </section>
  );
}

/** Every office setting on one form, grouped the way an administrator thinks of them. */
export function SettingsPage({ form, available, demo, notice, logo = null, logoForm = { values: {}, errors: {} } }: SettingsPageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('settings.page.title')}>
      <h1>{t('settings.page.title')}</h1>
      {notice ? <p class="notice notice-ok" role="status">{t(`settings.notice.${notice}`)}</p> : null}
      {demo ? <p class="notice" role="note">{t('settings.page.demo')}</p> : null}
      <ErrorSummary errors={form.errors} />
      <form method="post" action="/console/settings" novalidate>
        <CsrfField />
        <h2>{t('settings.groups.office')}</h2>
        <TextField state={form} name="officeName" label={t('settings.fields.officeName')} required maxLength={120} autocomplete="organization" />
        <TextField state={form} name="programName" label={t('settings.fields.programName')} hint={t('settings.hints.programName')} required maxLength={80} />
        <TextField state={form} name="county" label={t('settings.fields.county')} required maxLength={80} />
        <TextField state={form} name="state" label={t('settings.fields.state')} required maxLength={40} />
        <TextField state={form} name="noticeThirdLanguage" label={t('settings.fields.noticeThirdLanguage')} hint={t('settings.hints.noticeThirdLanguage')} maxLength={40} />
        <SelectField state={form} name="timeZone" label={t('settings.fields.timeZone')} hint={t('settings.hints.timeZone')} required options={knownTimeZones().map((zone) => ({ value: zone, label: zone.replaceAll('_', ' ') }))} />

        <h2>{t('settings.groups.contact')}</h2>
        <TextField state={form} name="localTipPhone" type="tel" label={t('settings.fields.localTipPhone')} hint={t('settings.hints.localTipPhone')} maxLength={40} autocomplete="off" />
        <TextField state={form} name="contactEmail" type="email" label={t('settings.fields.contactEmail')} hint={t('settings.hints.optional')} autocomplete="off" />
        <TextArea state={form} name="contactAddress" label={t('settings.fields.contactAddress')} hint={t('settings.hints.contactAddress')} rows={3} maxLength={300} />
        <TextField state={form} name="officePhone" type="tel" label={t('settings.fields.officePhone')} hint={t('settings.hints.officePhone')} maxLength={40} autocomplete="off" />

        <h2>{t('settings.groups.languages')}</h2>
        <ChoiceGroup
          state={form}
          name="languages"
          legend={t('settings.fields.languages')}
          hint={t('settings.hints.languages')}
          multiple
          options={available.map((l) => ({ value: l, label: t(`common.languageName.${l}`) }))}
        />

        <h2>{t('settings.groups.links')}</h2>
        <TextField state={form} name="quickExitUrl" type="url" label={t('settings.fields.quickExitUrl')} hint={t('settings.hints.quickExitUrl')} required autocomplete="off" />
        <TextField state={form} name="facebookUrl" type="url" label={t('settings.fields.facebookUrl')} hint={t('settings.hints.optional')} autocomplete="off" />
        <TextField state={form} name="twitterUrl" type="url" label={t('settings.fields.twitterUrl')} hint={t('settings.hints.optional')} autocomplete="off" />
        <TextField state={form} name="instagramUrl" type="url" label={t('settings.fields.instagramUrl')} hint={t('settings.hints.optional')} autocomplete="off" />

        <h2>{t('settings.groups.map')}</h2>
        <p class="hint">{t('settings.hints.map')}</p>
        <TextField state={form} name="mapLat" label={t('settings.fields.mapLat')} hint={t('settings.hints.mapLat')} required autocomplete="off" maxLength={20} />
        <TextField state={form} name="mapLng" label={t('settings.fields.mapLng')} hint={t('settings.hints.mapLng')} required autocomplete="off" maxLength={20} />
        <TextField state={form} name="mapZoom" type="number" label={t('settings.fields.mapZoom')} hint={t('settings.hints.mapZoom')} required inputMode="numeric" />

        <h2>{t('settings.groups.tips')}</h2>
        <TextField state={form} name="tipRetentionDays" type="number" label={t('settings.fields.tipRetentionDays')} hint={t('settings.hints.tipRetentionDays')} required inputMode="numeric" />

        <button type="submit">{t('settings.page.save')}</button>
      </form>
      <LogoForm logo={logo} form={logoForm} />
    </ConsoleLayout>
  );
}

/** Sample props for render tests. */
export const sampleSettingsPage: SettingsPageProps = {
  form: { values: { officeName: 'Demo County Office', languages: ['en', 'es'], mapLat: '37.8', mapLng: '-122.27', mapZoom: '11' }, errors: { mapLat: { key: 'common.form.invalidNumber' } } },
  available: ['en', 'es'],
  demo: true,
};
