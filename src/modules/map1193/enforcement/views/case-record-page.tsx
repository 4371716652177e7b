import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import { useOfficeTime } from '../../../../core/views/time.ts';
import { ModuleStyles } from '../../shared/views/components.tsx';
import type { CaseRecord } from '../case-record.ts';

export type CaseRecordPageProps = { record: CaseRecord };

/** An instant as the office reads it: its own time zone, named, so a printed record is unambiguous. */
function useWhen(): (iso: string) => string {
  const time = useOfficeTime();
  return (iso) => time(iso, 'minute');
}

function RecordReports({ record }: CaseRecordPageProps) {
  const { t } = usePage();
  const when = useWhen();
  return (
    <section aria-labelledby="record-reports">
      <h2 id="record-reports">{t('letter.record.reports')}</h2>
      {record.reports.length === 0 ? <p>{t('letter.record.noReports')}</p> : null}
      <ul>
        {record.reports.map((r) => (
          <li key={r.id}>
            {when(r.observedAt)}: {t(`map.report.observation.${r.observed}`)}
            {r.problems ? ` (${r.problems.split(',').map((p) => t(`map.report.problem.${p}`)).join(', ')})` : ''} · {t(`map.enforcement.case.channel.${r.channel}`)}
            {r.note ? <blockquote>{r.note}</blockquote> : null}
            {r.hasPhoto ? (
              <ul class="case-record-photos">
                <li><img src={`/console/map1193/photos/report/${r.id}`} alt={t('map.enforcement.case.reportPhoto', { day: when(r.observedAt) })} /></li>
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function RecordCase({ record, kase }: CaseRecordPageProps & { kase: CaseRecord['cases'][number] }) {
  const { t } = usePage();
  const when = useWhen();
  const steps = record.steps.filter((s) => s.caseId === kase.id);
  const title = t('letter.record.case', { number: kase.caseNumber ?? kase.id, at: when(kase.openedAt), stage: t(`map.enforcement.stage.${kase.stage}`) });
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      <table>
        <caption>{t('letter.record.steps')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('letter.record.when')}</th>
            <th scope="col">{t('letter.record.step')}</th>
            <th scope="col">{t('letter.record.who')}</th>
            <th scope="col">{t('letter.record.auditSeq')}</th>
            <th scope="col">{t('letter.record.auditHash')}</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => (
            <tr key={s.id} data-step={s.id}>
              <td data-label={t('letter.record.when')}>{when(s.at)}</td>
              <td data-label={t('letter.record.step')}>
                {t(`map.enforcement.action.${s.action}`)}
                {s.deficiencyCodes.length ? <p>{t('letter.record.deficiencies', { list: s.deficiencyCodes.map((d) => t(`letter.deficiency.${d}`)).join(' ') })}</p> : null}
                {s.notes ? <p>{t('letter.record.notes', { notes: s.notes })}</p> : null}
              </td>
              <td data-label={t('letter.record.who')}>{s.who ?? t('letter.record.unknownActor')}</td>
              <td data-label={t('letter.record.auditSeq')} class="audit-seq">{s.audit ? s.audit.seq : t('letter.record.notRecorded')}</td>
              <td data-label={t('letter.record.auditHash')} class="hash audit-hash">{s.audit?.hash ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {steps.map((s) => {
        const photos = record.photos.filter((p) => p.stepId === s.id);
        if (photos.length === 0) return null;
        const step = t(`map.enforcement.action.${s.action}`);
        return (
          <div key={s.id}>
            <h4>{t('letter.record.photos')}: {step}, {when(s.at)}</h4>
            <ul class="case-record-photos">
              {photos.map((p, i) => (
                <li key={p.id}><img src={`/console/map1193/photos/case/${p.id}`} alt={t('letter.record.photo', { n: i + 1, step, at: when(s.at) })} width={p.width} height={p.height} /></li>
              ))}
            </ul>
          </div>
        );
      })}
      {record.notices.filter((n) => n.caseId === kase.id).map((n) => (
        <div key={n.id} class="record-letter">
          <h4>{t('letter.record.letter', { at: when(n.createdAt) })}</h4>
          <p>
            {t('letter.record.letterHash', { hash: n.sha256, state: n.intact ? t('letter.record.letterIntact') : t('letter.record.letterAltered') })}{' '}
            <a href={`/console/map1193/notices/${n.id}`}>{t('letter.record.openLetter')}</a>
          </p>
        </div>
      ))}
    </section>
  );
}

/** A business's whole case for a hearing, each step tied to the audit row that vouches for it. */
export function CaseRecordPage({ record }: CaseRecordPageProps) {
  const { t } = usePage();
  const when = useWhen();
  const { business } = record;
  return (
    <ConsoleLayout title={t('letter.record.title', { business: business.name })}>
      <ModuleStyles names={['map1193-letter.css']} />
      <div class="record-tools">
        <p><a href={`/console/map1193/inspections/${business.id}`}>{t('letter.page.back')}</a></p>
        <p class="hint">{t('letter.record.printHint')}</p>
      </div>
      <article class="case-record">
        <h1>{t('letter.record.title', { business: business.name })}</h1>
        <p>{t('letter.record.printed', { at: when(record.printedAt), who: record.printedBy })} {t('letter.record.printedSeq', { seq: record.printedSeq })}</p>
        <dl class="letter-meta">
          <dt>{t('letter.record.business')}</dt>
          <dd>{business.name}</dd>
          <dt>{t('letter.record.address')}</dt>
          <dd>{business.address}, {business.city}</dd>
          <dt>{t('letter.record.category')}</dt>
          <dd>{t(`map.categories.${business.category}.name`)}</dd>
          <dt>{t('letter.record.status')}</dt>
          <dd>{t(`map.status.${business.status}`)}</dd>
        </dl>
        <RecordReports record={record} />
        <section aria-labelledby="record-cases">
          <h2 id="record-cases">{t('letter.record.cases')}</h2>
          {record.cases.length === 0 ? <p>{t('letter.record.noCases')}</p> : null}
          {record.cases.map((c) => <RecordCase key={c.id} record={record} kase={c} />)}
        </section>
        <section aria-labelledby="record-chain">
          <h2 id="record-chain">{t('letter.record.chain')}</h2>
          <p class="audit-range">{record.range ? t('letter.record.range', { from: record.range.from, to: record.range.to }) : t('letter.record.noRange')}</p>
          <p>{t('letter.record.head', { seq: record.head.seq, hash: record.head.hash })}</p>
          <p>{t('letter.record.verify')}</p>
          <p class="verify-command"><code>heatwatch audit verify</code></p>
          <p>{t('letter.record.verifyThen')}</p>
        </section>
      </article>
    </ConsoleLayout>
  );
}
