import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import { lawDay } from '../../rules/rules.ts';
import { formatDay } from '../../shared/views/components.tsx';
import type { ReportWithOutcome } from '../outcome.service.ts';
import { OutcomeText, useReportedText } from './outcome.tsx';

/** A signed-in reporter's own reports and what the office did since each. */
export function MyReportsPage({ reports }: { reports: ReportWithOutcome[] }) {
  const { t, locale, settings } = usePage();
  const reported = useReportedText();
  return (
    <ConsoleLayout title={t('map.myReports.title')}>
      <h1>{t('map.myReports.title')}</h1>
      <p>{t('map.myReports.intro')}</p>
      {reports.length === 0 ? (
        <p>{t('map.myReports.none')}</p>
      ) : (
        <table>
          <caption>{t('map.myReports.caption', { count: reports.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('map.myReports.business')}</th>
              <th scope="col">{t('map.myReports.day')}</th>
              <th scope="col">{t('map.myReports.reported')}</th>
              <th scope="col">{t('map.myReports.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((r) => (
              <tr key={r.id}>
                <td><a href={`/map1193/businesses/${r.businessId}`}>{r.name}</a><br />{r.address}, {r.city}</td>
                <td>{formatDay(lawDay(new Date(r.observedAt), settings.timeZone), locale)}</td>
                <td>{reported(r)}</td>
                <td><OutcomeText report={r} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </ConsoleLayout>
  );
}
