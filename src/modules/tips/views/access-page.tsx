import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { ChoiceGroup, CsrfField, ErrorSummary, type FormState, SelectField, TextArea } from '../../../core/views/forms.tsx';
import type { AccessOverview } from '../access.service.ts';

export type AccessPageProps = {
  overview: AccessOverview;
  form: FormState;
  /** The viewer reads tips themself and can pass on what they can open. */
  canShareOwn: boolean;
  result?: { granted: number; unavailable: number };
};

/**
 * Who can open which tips. A reader added after tips arrived, or whose keys were replaced by a
 * password reset, gets access here: from a reviewer's own access, or with the office recovery key.
 */
export function AccessPage({ overview, form, canShareOwn, result }: AccessPageProps) {
  const { t } = usePage();
  const sources = [
    ...(canShareOwn ? [{ value: 'own', label: t('tips.access.sourceOwn') }] : []),
    { value: 'recovery', label: t('tips.access.sourceRecovery') },
  ];
  return (
    <ConsoleLayout title={t('tips.access.title')}>
      <h1>{t('tips.access.title')}</h1>
      <p>{t('tips.access.intro')}</p>
      {result ? <p class="notice notice-ok" role="status">{t('tips.access.result', { granted: result.granted, unavailable: result.unavailable })}</p> : null}
      <div class="table-wrap">
        <table>
          <caption>{t('tips.access.tableCaption', { total: overview.totalTips })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('tips.access.reader')}</th>
              <th scope="col">{t('tips.access.state.ok')}</th>
              <th scope="col">{t('tips.access.state.stale')}</th>
              <th scope="col">{t('tips.access.state.missing')}</th>
            </tr>
          </thead>
          <tbody>
            {overview.readers.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  {r.displayName} <span class="hint">{r.email}</span>
                  {r.stale > 0 ? <> <span class="badge badge-warn">{t('tips.access.needsRegrant')}</span></> : null}
                </th>
                <td>{r.ok}</td>
                <td>{r.stale}</td>
                <td>{r.missing}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('tips.access.grantTitle')}</h2>
      <ErrorSummary errors={form.errors} />
      {overview.readers.length === 0 ? (
        <p>{t('tips.access.noReaders')}</p>
      ) : (
        <form method="post" action="/console/tips/access" autocomplete="off" novalidate>
          <CsrfField />
          <SelectField state={form} name="accountId" label={t('tips.access.reader')} options={overview.readers.map((r) => ({ value: r.id, label: `${r.displayName} (${r.email})` }))} />
          <ChoiceGroup state={form} name="source" legend={t('tips.access.source')} options={sources} defaultValue={sources[0]!.value} />
          <TextArea state={form} name="recoveryKey" label={t('tips.access.recoveryKey')} hint={t('tips.access.recoveryKeyHint')} rows={3} autocomplete="off" />
          <button type="submit">{t('tips.access.grantAll')}</button>
        </form>
      )}
    </ConsoleLayout>
  );
}
