import { usePage } from '../../../../core/views/context.ts';
import { CsrfField, ErrorSummary, type FormState, TextField } from '../../../../core/views/forms.tsx';
import { Layout } from '../../../../core/views/layout.tsx';
import { lawDay } from '../../rules/rules.ts';
import { formatDay, ModuleStyles } from '../../shared/views/components.tsx';
import type { ReportWithOutcome } from '../outcome.service.ts';
import { OutcomeText, useReportedText } from './outcome.tsx';

export type ReportStatusPageProps = { form: FormState; report?: ReportWithOutcome | undefined };

/** The anonymous reporter's lookup: the code in, their report's state and the office's outcome out. */
export function ReportStatusPage({ form, report }: ReportStatusPageProps) {
  const { t, href, locale, settings } = usePage();
  const reported = useReportedText();
  if (report) {
    return (
      <Layout title={t('map.outcome.resultTitle', { name: report.name })} pageClass="map1193-page" noindex>
        <ModuleStyles names={['map1193.css']} />
        <h1>{t('map.outcome.resultTitle', { name: report.name })}</h1>
        <p class="business-address">{[report.address, report.city].filter(Boolean).join(', ')}</p>
        <p>{t('map.outcome.reported', { day: formatDay(lawDay(new Date(report.observedAt), settings.timeZone), locale), what: reported(report) })}</p>
        <p class="notice"><OutcomeText report={report} /></p>
        <p><a href={href('/map1193/report-status')}>{t('map.outcome.another')}</a></p>
      </Layout>
    );
  }
  return (
    <Layout title={t('map.outcome.title')} pageClass="map1193-page" noindex>
      <ModuleStyles names={['map1193.css']} />
      <h1>{t('map.outcome.title')}</h1>
      <p>{t('map.outcome.intro')}</p>
      <form method="post" action={href('/map1193/report-status')} novalidate>
        <ErrorSummary errors={form.errors} />
        <CsrfField />
        <TextField state={form} name="code" label={t('map.outcome.code')} hint={t('map.outcome.codeHint')} autocomplete="off" keepValue={false} />
        <button type="submit">{t('map.outcome.submit')}</button>
      </form>
    </Layout>
  );
}
