import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { ChoiceGroup, CsrfField, ErrorSummary, type FormState, TextArea } from '../../../core/views/forms.tsx';
import type { StopView } from '../actions.repo.ts';
import { NOTE_MAX } from '../schema.ts';
import { OBSERVATIONS, PROBLEMS } from '../tables.ts';

export type RouteReportPageProps = { stop: StopView & { day: string; title: string }; reportId: string; form: FormState };

/** The report form for one stop on a volunteer's route (signed in; no photo, no anonymous token). */
export function RouteReportPage({ stop, reportId, form }: RouteReportPageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={stop.name}>
      <h1>{stop.name}</h1>
      <p>{stop.address}, {stop.city} · {stop.day}: {stop.title}</p>
      <form method="post" action={`/console/map1193/my-route/${stop.id}`} novalidate>
        <CsrfField />
        <input type="hidden" name="reportId" value={reportId} />
        <ErrorSummary errors={form.errors} />
        <ChoiceGroup state={form} name="observed" legend={t('map.report.observed')} options={OBSERVATIONS.map((o) => ({ value: o, label: t(`map.report.observation.${o}`) }))} />
        <ChoiceGroup state={form} name="problems" legend={t('map.report.problems')} hint={t('map.report.problemsHint')} multiple options={PROBLEMS.map((p) => ({ value: p, label: t(`map.report.problem.${p}`) }))} />
        <TextArea state={form} name="note" label={t('map.report.note')} hint={t('map.report.noteHint', { max: NOTE_MAX })} maxLength={NOTE_MAX} rows={3} />
        <button type="submit">{t('map.report.submit')}</button>
      </form>
      <p><a href="/console/map1193/my-route">{t('map.route.back')}</a></p>
    </ConsoleLayout>
  );
}
