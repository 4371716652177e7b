import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import { CsrfField, ErrorSummary, type FormState } from '../../../../core/views/forms.tsx';
import type { PublicBusiness } from '../../businesses/repo.ts';
import type { NoticeRule } from '../../rules/rules.ts';
import { ReportFields } from './report-fields.tsx';

export type VolunteerReportPageProps = { business: PublicBusiness; reportId: string; form: FormState; notice: NoticeRule | undefined };

/** A signed-in volunteer's report on any business, outside a day of action: recorded under their name. */
export function VolunteerReportPage({ business, reportId, form, notice }: VolunteerReportPageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('map.report.volunteerTitle', { name: business.name })}>
      <h1>{t('map.report.volunteerTitle', { name: business.name })}</h1>
      <p>{business.address}, {business.city}</p>
      <p>{t('map.report.volunteerIntro')}</p>
      <form method="post" action={`/console/map1193/businesses/${business.id}/report`} enctype="multipart/form-data" novalidate>
        <CsrfField />
        <input type="hidden" name="reportId" value={reportId} />
        <ErrorSummary errors={form.errors} />
        <ReportFields form={form} photo notice={notice} />
        <button type="submit">{t('map.report.submit')}</button>
      </form>
      <p><a href={`/map1193/businesses/${business.id}`}>{t('map.report.backToBusiness')}</a></p>
    </ConsoleLayout>
  );
}
