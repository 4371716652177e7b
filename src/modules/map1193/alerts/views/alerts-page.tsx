import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import { ChoiceGroup, CsrfField } from '../../../../core/views/forms.tsx';

/** An inspector's alert settings: what is sent anyway, and the weekly digest to opt into. */
export function AlertsPage({ digest, done }: { digest: boolean; done: boolean }) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('map.alerts.title')}>
      <h1>{t('map.alerts.title')}</h1>
      {done ? <p role="status" class="notice">{t('map.alerts.saved')}</p> : null}
      <p>{t('map.alerts.intro')}</p>
      <form method="post" action="/console/map1193/alerts">
        <CsrfField />
        <ChoiceGroup state={{ values: { digest: digest ? ['yes'] : [] }, errors: {} }} name="digest" legend={t('map.alerts.digestLegend')} hint={t('map.alerts.digestHint')} multiple options={[{ value: 'yes', label: t('map.alerts.digest') }]} />
        <button type="submit">{t('map.alerts.save')}</button>
      </form>
    </ConsoleLayout>
  );
}
