import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import { ChoiceGroup, CsrfField, ErrorSummary, type FormState, TextArea, TextField } from '../../../../core/views/forms.tsx';
import type { ActionDayRow } from '../../tables.ts';

export type ActionDaysPageProps = { days: ActionDayRow[]; cities: string[]; form: FormState };

/** The coordinator's days of action: the list, and the form to plan a new one. */
export function ActionDaysPage({ days, cities, form }: ActionDaysPageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('map.actions.title')}>
      <h1>{t('map.actions.title')}</h1>
      {days.length === 0 ? (
        <p>{t('map.actions.none')}</p>
      ) : (
        <ul>
          {days.map((d) => (
            <li key={d.id}><a href={`/console/map1193/days/${d.id}`}>{d.day}: {d.title}</a></li>
          ))}
        </ul>
      )}
      <h2>{t('map.actions.create')}</h2>
      <form method="post" action="/console/map1193/days" novalidate>
        <CsrfField />
        <ErrorSummary errors={form.errors} />
        <TextField state={form} name="day" type="date" label={t('map.actions.day')} required />
        <TextField state={form} name="title" label={t('map.actions.dayTitle')} maxLength={120} required />
        <ChoiceGroup state={form} name="cities" legend={t('map.actions.cities')} hint={t('map.actions.citiesHint')} multiple options={cities.map((c) => ({ value: c, label: c }))} />
        <TextArea state={form} name="businessIds" label={t('map.actions.businessIds')} hint={t('map.actions.businessIdsHint')} rows={3} />
        <TextArea state={form} name="teams" label={t('map.actions.teams')} hint={t('map.actions.teamsHint')} rows={4} required />
        <button type="submit">{t('map.actions.submit')}</button>
      </form>
    </ConsoleLayout>
  );
}
