import { usePage } from '../../../../core/views/context.ts';
import { lawDay } from '../../rules/rules.ts';
import { formatDay } from '../../shared/views/components.tsx';
import type { ReportWithOutcome } from '../outcome.service.ts';
import { useProblemLabel } from './report-fields.tsx';

/** What a report said, in the reporter's words of the form: the observation and any problems. */
export function useReportedText() {
  const { t } = usePage();
  const problemLabel = useProblemLabel();
  return (r: Pick<ReportWithOutcome, 'observed' | 'problems'>) => {
    const problems = r.problems ? r.problems.split(',').map(problemLabel).join('; ') : '';
    return problems ? `${t(`map.report.observation.${r.observed}`)} (${problems})` : t(`map.report.observation.${r.observed}`);
  };
}

/** The report's own state and the office's latest step since it arrived: never who took it, nor their notes. */
export function OutcomeText({ report }: { report: ReportWithOutcome }) {
  const { t, locale, settings } = usePage();
  const { outcome } = report;
  return (
    <>
      <span>{t(`map.outcome.state.${outcome.state}`)}</span>
      {outcome.step ? <> {t('map.outcome.stepOn', { day: formatDay(lawDay(new Date(outcome.step.at), settings.timeZone), locale), what: t(`map.outcome.step.${outcome.step.action}`) })}</> : null}
      {outcome.state === 'reviewed' && report.reviewOutcome ? <> {t(`map.outcome.review.${report.reviewOutcome}`)}</> : null}
    </>
  );
}
