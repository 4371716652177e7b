import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { CsrfField } from '../../../core/views/forms.tsx';
import type { caseFile } from '../enforcement.service.ts';

export type CasePageProps = { file: NonNullable<Awaited<ReturnType<typeof caseFile>>>; now: string; done: boolean; error: string | undefined };

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');

/** A business's case file: every case and step, stored notices, and the next steps as buttons. */
export function CasePage({ file, now, done, error }: CasePageProps) {
  const { t } = usePage();
  const { business, open } = file;
  return (
    <ConsoleLayout title={business.name}>
      <h1>{business.name}</h1>
      <p>{business.address}, {business.city} · {t(`map.status.${business.status}`)}</p>
      {done ? <p role="status" class="notice">{t('map.enforcement.case.done')}</p> : null}
      {error ? <p role="alert" class="error">{t(error)}</p> : null}
      <h2>{t('map.enforcement.case.current')}</h2>
      <p>{open ? t(`map.enforcement.stage.${open.stage}`) : t('map.enforcement.stage.none')}</p>
      {open?.cureDueAt ? <p>{t('map.enforcement.case.cureDue', { day: day(open.cureDueAt) })} {Date.parse(now) < Date.parse(open.cureDueAt) ? t('map.enforcement.case.cureRunning') : t('map.enforcement.case.cureOver')}</p> : null}
      {open?.penaltyUsd != null ? <p>{t('map.enforcement.case.penalty', { amount: open.penaltyUsd })}</p> : null}
      <form method="post" action={`/console/map1193/inspections/${business.id}/step`}>
        <CsrfField />
        <div class="field">
          <label for="notes">{t('map.enforcement.case.notes')}</label>
          <textarea id="notes" name="notes" rows={4} maxLength={4000} />
        </div>
        <div class="actions">
          {file.next.map((action) => (
            <button key={action} type="submit" name="action" value={action}>{t(`map.enforcement.action.${action}`)}</button>
          ))}
        </div>
      </form>
      <h2>{t('map.enforcement.case.history')}</h2>
      {file.cases.length === 0 ? <p>{t('map.enforcement.case.noCases')}</p> : null}
      {file.cases.map((c) => (
        <section key={c.id} aria-label={t('map.enforcement.case.caseOpened', { day: day(c.openedAt) })}>
          <h3>{t('map.enforcement.case.caseOpened', { day: day(c.openedAt) })} · {t(`map.enforcement.stage.${c.stage}`)}</h3>
          <ul>
            {file.steps.filter((s) => s.caseId === c.id).map((s) => (
              <li key={s.id}>{day(s.at)}: {t(`map.enforcement.action.${s.action}`)}{s.notes ? ` — ${s.notes}` : ''}</li>
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
