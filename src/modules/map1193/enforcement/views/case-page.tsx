import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import { ChoiceGroup, CsrfField, ErrorSummary, FileField, type FormState, TextArea } from '../../../../core/views/forms.tsx';
import { DEFICIENCIES } from '../enforcement.ts';
import type { caseFile } from '../service.ts';
import { MAX_STEP_PHOTOS } from '../service.ts';
import { MAX_PHOTO_BYTES, PHOTO_TYPES } from '../../shared/photos.ts';
import { lawDay } from '../../rules/rules.ts';
import { formatUsd, ModuleStyles } from '../../shared/views/components.tsx';
import { useProblemLabel } from '../../reports/views/report-fields.tsx';
import { CommunityPicture } from '../../reports/views/community.tsx';

type CaseFile = NonNullable<Awaited<ReturnType<typeof caseFile>>>;
export type CasePageProps = { file: CaseFile; now: string; done: boolean; form: FormState };

/** The law's (the office's) day of an instant: an evening visit is not dated the next (UTC) day. */
function useDay(): (iso: string | null) => string {
  const { settings } = usePage();
  return (iso) => (iso ? lawDay(new Date(iso), settings.timeZone) : '—');
}

function PhotoLinks({ photos, href, label }: { photos: { id: string; width?: number; height?: number }[]; href: (id: string) => string; label: (n: number) => string }) {
  if (photos.length === 0) return null;
  return (
    <ul class="case-photos">
      {photos.map((p, i) => (
        <li key={p.id}>
          <a href={href(p.id)}>
            <img src={href(p.id)} alt={label(i + 1)} width={p.width} height={p.height} loading="lazy" />
          </a>
        </li>
      ))}
    </ul>
  );
}

/** What reporters said, newest first: the inspector's reason to visit. */
function Reports({ reports }: { reports: CaseFile['reports'] }) {
  const { t } = usePage();
  const day = useDay();
  const problemLabel = useProblemLabel();
  return (
    <>
      <h2>{t('map.enforcement.case.reports')}</h2>
      {reports.length === 0 ? <p>{t('map.enforcement.case.noReports')}</p> : null}
      <ul class="case-reports">
        {reports.map((r) => (
          <li key={r.id}>
            {day(r.observedAt)}: {t(`map.report.observation.${r.observed}`)}
            {r.problems ? ` (${r.problems.split(',').map(problemLabel).join(', ')})` : ''} · {t(`map.enforcement.case.channel.${r.channel}`)}
            {r.note ? <blockquote>{r.note}</blockquote> : null}
            {r.hasPhoto ? (
              <PhotoLinks photos={[{ id: r.id }]} href={(id) => `/console/map1193/photos/report/${id}`} label={() => t('map.enforcement.case.reportPhoto', { day: day(r.observedAt) })} />
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}

/** A business's case file: every case and step with its photos, stored notices, and the next steps as buttons. */
export function CasePage({ file, now, done, form }: CasePageProps) {
  const { t, locale } = usePage();
  const day = useDay();
  const { business, open } = file;
  return (
    <ConsoleLayout title={business.name}>
      <ModuleStyles names={['map1193.css']} />
      <h1>{business.name}</h1>
      {open?.caseNumber ? <p>{t('letter.record.caseNumber', { number: open.caseNumber })}</p> : null}
      <p><a href={`/console/map1193/inspections/${business.id}/record`}>{t('letter.record.link')}</a></p>
      <p>{business.address}, {business.city} · {t(`map.status.${business.status}`)}</p>
      <p><CommunityPicture community={file.community} /></p>
      {done ? <p role="status" class="notice">{t('map.enforcement.case.done')}</p> : null}
      <h2>{t('map.enforcement.case.current')}</h2>
      <p>{open ? t(`map.enforcement.stage.${open.stage}`) : t('map.enforcement.stage.none')}</p>
      {open?.cureDueAt ? <p>{t('map.enforcement.case.cureDue', { day: day(open.cureDueAt) })} {Date.parse(now) < Date.parse(open.cureDueAt) ? t('map.enforcement.case.cureRunning') : t('map.enforcement.case.cureOver')}</p> : null}
      {open?.penaltyUsd != null ? <p>{t('map.enforcement.case.penalty', { amount: formatUsd(open.penaltyUsd, locale) })}</p> : null}
      <form method="post" action={`/console/map1193/inspections/${business.id}/step`} enctype="multipart/form-data" novalidate>
        <CsrfField />
        <ErrorSummary errors={form.errors} />
        {file.next.includes('visit_violation') || file.next.includes('reinspect_failed') ? (
          <ChoiceGroup state={form} name="deficiencies" multiple legend={t('letter.form.deficiencies')} hint={t('letter.form.deficienciesHint')} options={DEFICIENCIES.map((d) => ({ value: d, label: t(`letter.deficiency.${d}`) }))} />
        ) : null}
        <TextArea state={form} name="notes" label={t('map.enforcement.case.notes')} maxLength={4000} rows={4} />
        <FileField state={form} name="photos" multiple label={t('map.enforcement.case.photos')} hint={t('map.enforcement.case.photosHint', { max: MAX_STEP_PHOTOS, mb: MAX_PHOTO_BYTES / 1024 / 1024 })} accept={PHOTO_TYPES} />
        <div class="actions">
          {file.next.map((action) => (
            <button key={action} type="submit" name="action" value={action}>{t(`map.enforcement.action.${action}`)}</button>
          ))}
        </div>
      </form>
      <Reports reports={file.reports} />
      <h2>{t('map.enforcement.case.history')}</h2>
      {file.cases.length === 0 ? <p>{t('map.enforcement.case.noCases')}</p> : null}
      {file.cases.map((c) => (
        <section key={c.id} aria-label={t('map.enforcement.case.caseOpened', { day: day(c.openedAt) })}>
          <h3>{t('map.enforcement.case.caseOpened', { day: day(c.openedAt) })} · {t(`map.enforcement.stage.${c.stage}`)}</h3>
          <ul>
            {file.steps.filter((s) => s.caseId === c.id).map((s) => (
              <li key={s.id}>
                {day(s.at)}: {t(`map.enforcement.action.${s.action}`)}{s.notes ? ` — ${s.notes}` : ''}
                <PhotoLinks
                  photos={file.photos.filter((p) => p.stepId === s.id)}
                  href={(id) => `/console/map1193/photos/case/${id}`}
                  label={(n) => t('map.enforcement.case.stepPhoto', { n, step: t(`map.enforcement.action.${s.action}`), day: day(s.at) })}
                />
              </li>
            ))}
            {file.notices.filter((n) => n.caseId === c.id).map((n) => (
              <li key={n.id}><a href={`/console/map1193/notices/${n.id}`}>{t('map.enforcement.case.notice', { day: day(n.createdAt) })}</a></li>
            ))}
          </ul>
        </section>
      ))}
    </ConsoleLayout>
  );
}
