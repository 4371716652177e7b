import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import { CsrfField, ErrorSummary, type FormState } from '../../../../core/views/forms.tsx';
import type { StopView } from '../repo.ts';
import type { NoticeRule } from '../../rules/rules.ts';
import { ROUTE_SCRIPT } from './my-route-page.tsx';
import { ReportFields } from '../../reports/views/report-fields.tsx';

export type RouteReportPageProps = { stop: StopView & { day: string; title: string }; reportId: string; accountId: string; form: FormState; notice: NoticeRule | undefined };

/**
 * The report form for one stop on a volunteer's route (signed in; no photo, no anonymous token).
 * The route island saves it on the device first, so it also works with no connection.
 */
export function RouteReportPage({ stop, reportId, accountId, form, notice }: RouteReportPageProps) {
  const { t } = usePage();
  const labels = {
    chooseObservation: t('map.report.errors.chooseObservation'),
    chooseProblem: t('map.report.errors.chooseProblem'),
    errorSummary: t('common.form.errorSummary'),
    saving: t('map.route.offline.saving'),
    storageFailed: t('map.route.offline.storageFailed'),
  };
  return (
    <ConsoleLayout title={stop.name} scripts={[ROUTE_SCRIPT]}>
      <h1>{stop.name}</h1>
      <p>{stop.address}, {stop.city} · {stop.day}: {stop.title}</p>
      <form
        method="post"
        action={`/console/map1193/my-route/${stop.id}`}
        novalidate
        data-offline-route="report"
        data-account={accountId}
        data-stop={stop.id}
        data-stop-name={stop.name}
        data-labels={JSON.stringify(labels)}
      >
        <CsrfField />
        <input type="hidden" name="reportId" value={reportId} />
        <ErrorSummary errors={form.errors} />
        <ReportFields form={form} photo={false} notice={notice} />
        <button type="submit">{t('map.report.submit')}</button>
        <p role="status" data-part="status" />
      </form>
      <p><a href="/console/map1193/my-route">{t('map.route.back')}</a></p>
    </ConsoleLayout>
  );
}
