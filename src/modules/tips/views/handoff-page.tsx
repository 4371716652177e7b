import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import type { TipDetail } from '../triage.service.ts';
import { refLabel } from './badges.tsx';
import { OfficeTime } from '../../../core/views/time.ts';
import { AnswersList } from './tip-content.tsx';

export type HandoffPageProps = { detail: TipDetail; officeName: string; preparedBy: string; preparedAt: string };

/**
 * What a receiving agency needs, on paper: the reference, the referral, the tipster's answers
 * and the list of files. The tipster's contact details stay with the office: they agreed to be
 * contacted by the office, not by whoever receives the referral.
 */
export function HandoffPage({ detail, officeName, preparedBy, preparedAt }: HandoffPageProps) {
  const { t } = usePage();
  const { tip } = detail;
  return (
    <ConsoleLayout title={t('tips.handoff.title', { ref: refLabel(tip.id) })}>
      <p class="no-print"><a href={`/console/tips/${tip.id}`}>{t('tips.handoff.back')}</a> · {t('tips.handoff.printHint')}</p>
      <h1>{t('tips.handoff.title', { ref: refLabel(tip.id) })}</h1>
      <p><strong>{t('tips.handoff.confidential')}</strong></p>
      <dl class="answers">
        <dt>{t('tips.handoff.from')}</dt>
        <dd>{officeName}</dd>
        <dt>{t('tips.handoff.to')}</dt>
        <dd>{tip.referredTo ? t(`tips.agencies.${tip.referredTo}`) : '—'}</dd>
        <dt>{t('tips.handoff.reference')}</dt>
        <dd>{refLabel(tip.id)}</dd>
        <dt>{t('tips.queue.received')}</dt>
        <dd><OfficeTime at={tip.receivedAt} show="hour" /></dd>
        <dt>{t('tips.handoff.urgency')}</dt>
        <dd>{tip.urgent ? t('tips.handoff.urgent') : t('tips.handoff.notUrgent')}</dd>
        <dt>{t('tips.handoff.preparedBy')}</dt>
        <dd>{preparedBy} · <OfficeTime at={preparedAt} show="minute" /></dd>
      </dl>
      <h2>{t('tips.detail.answers')}</h2>
      {detail.answers ? <AnswersList answers={detail.answers} /> : <p>{t('tips.detail.noAccess')}</p>}
      <h2>{t('tips.detail.files')}</h2>
      {detail.files.length ? (
        <ul>{detail.files.map((f) => <li key={f.id}>{f.name}</li>)}</ul>
      ) : (
        <p>{t('tips.detail.noFiles')}</p>
      )}
      <h2>{t('tips.handoff.contactTitle')}</h2>
      <p>{detail.contactGiven ? t('tips.handoff.contactViaOffice') : t('tips.handoff.anonymous')}</p>
    </ConsoleLayout>
  );
}
