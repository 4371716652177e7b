import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { CsrfField } from '../../../core/views/forms.tsx';
import { useOfficeTime } from '../../../core/views/time.ts';
import type { AccessState } from '../access.service.ts';
import { AGENCIES, DISPOSITIONS, type TipStatus } from '../tables.ts';
import type { TipDetail } from '../triage.service.ts';
import { refLabel, StatusBadge, UrgentBadge } from './badges.tsx';
import { MultiLine } from './fields.tsx';
import type { TimelineEntry } from '../timeline.service.ts';
import { AnswersList, FileList } from './tip-content.tsx';
import { TipTimeline } from './tip-timeline.tsx';

export type TipPageProps = {
  detail: TipDetail;
  can: { triage: boolean; grant: boolean; identity: boolean };
  next: readonly TipStatus[];
  readers: { id: string; displayName: string }[];
  /** Who can open this tip, for those who may share it. */
  access?: { id: string; displayName: string; state: AccessState }[];
  deleteOn?: string;
  /** What happened to the tip, from its audit rows; only for a viewer who could open it. */
  timeline?: TimelineEntry[];
  notice?: string;
  error?: string;
};

function Meta({ detail, readers }: Pick<TipPageProps, 'detail' | 'readers'>) {
  const { t } = usePage();
  const time = useOfficeTime();
  const { tip } = detail;
  const name = (id: string | null) => (id ? (readers.find((r) => r.id === id)?.displayName ?? '—') : t('tips.queue.unassigned'));
  return (
    <dl class="answers">
      <dt>{t('tips.queue.received')}</dt>
      <dd>{time(tip.receivedAt, 'hour')}</dd>
      <dt>{t('tips.queue.kind')}</dt>
      <dd>{t(`tips.kinds.${tip.kind}`)} {tip.urgent ? <UrgentBadge /> : null}</dd>
      <dt>{t('tips.form.minor')}</dt>
      <dd>{t(`tips.answers.${tip.minor}`)}</dd>
      <dt>{t('tips.queue.language')}</dt>
      <dd>{t(`common.languageName.${tip.language}`)}</dd>
      <dt>{t('tips.queue.status')}</dt>
      <dd>
        <StatusBadge status={tip.status} />
        {tip.referredTo ? <> {t('tips.detail.referredTo', { agency: t(`tips.agencies.${tip.referredTo}`) })}</> : null}
        {tip.disposition ? <> {t('tips.detail.disposition', { disposition: t(`tips.dispositions.${tip.disposition}`) })}</> : null}
      </dd>
      <dt>{t('tips.queue.assignee')}</dt>
      <dd>{name(tip.assigneeId)}</dd>
      {tip.duplicateOf ? (
        <>
          <dt>{t('tips.detail.duplicateOf')}</dt>
          <dd><a href={`/console/tips/${tip.duplicateOf}`}>{refLabel(tip.duplicateOf)}</a></dd>
        </>
      ) : null}
      <dt>{t('tips.detail.firstReviewed')}</dt>
      <dd>{tip.firstReviewedAt ? time(tip.firstReviewedAt, 'minute') : t('tips.detail.notYet')}</dd>
    </dl>
  );
}

/** Who sent the tip stays closed until someone allowed to see it gives a reason, which is audited. */
function Contact({ detail, canOpen }: { detail: TipDetail; canOpen: boolean }) {
  const { t } = usePage();
  if (detail.contact !== undefined) return <p data-contact><MultiLine text={detail.contact} /></p>;
  if (!detail.contactGiven) return <p>{t('tips.detail.anonymous')}</p>;
  return (
    <>
      <p>{t('tips.detail.contactGiven')}</p>
      {canOpen ? (
        <form method="post" action={`/console/tips/${detail.tip.id}/contact`}>
          <CsrfField />
          <div class="field">
            <label for="contact-reason">{t('tips.detail.contactReason')}</label>
            <span class="hint" id="contact-reason-hint">{t('tips.detail.contactReasonHint')}</span>
            <input id="contact-reason" name="reason" type="text" maxLength={300} autocomplete="off" aria-describedby="contact-reason-hint" required />
          </div>
          <button type="submit">{t('tips.detail.openContact')}</button>
        </form>
      ) : (
        <p class="hint">{t('tips.detail.contactNeedsPermission')}</p>
      )}
    </>
  );
}

function Workflow({ detail, next, readers }: Pick<TipPageProps, 'detail' | 'next' | 'readers'>) {
  const { t } = usePage();
  const { tip } = detail;
  const base = `/console/tips/${tip.id}`;
  return (
    <section aria-labelledby="workflow-title" class="form-stack">
      <h2 id="workflow-title">{t('tips.detail.workflow')}</h2>
      <form method="post" action={`${base}/status`}>
        <CsrfField />
        <fieldset>
          <legend>{t('tips.detail.moveTo')}</legend>
          {next.map((status, i) => (
            <label class="choice" key={status} for={`to-${i}`}>
              <input id={`to-${i}`} type="radio" name="to" value={status} checked={i === 0} />
              <span>{t(`tips.status.${status}`)}</span>
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label for="referredTo">{t('tips.detail.agency')}</label>
          <span class="hint" id="referredTo-hint">{t('tips.detail.agencyHint')}</span>
          <select id="referredTo" name="referredTo" aria-describedby="referredTo-hint">
            <option value="">—</option>
            {AGENCIES.map((a) => <option key={a} value={a}>{t(`tips.agencies.${a}`)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="disposition">{t('tips.detail.dispositionLabel')}</label>
          <span class="hint" id="disposition-hint">{t('tips.detail.dispositionHint')}</span>
          <select id="disposition" name="disposition" aria-describedby="disposition-hint">
            <option value="">—</option>
            {DISPOSITIONS.map((d) => <option key={d} value={d}>{t(`tips.dispositions.${d}`)}</option>)}
          </select>
        </div>
        <button type="submit">{t('tips.detail.changeStatus')}</button>
      </form>

      <form method="post" action={`${base}/assign`}>
        <CsrfField />
        <div class="field">
          <label for="assigneeId">{t('tips.detail.assignTo')}</label>
          <select id="assigneeId" name="assigneeId">
            <option value="">{t('tips.queue.unassigned')}</option>
            {readers.map((r) => <option key={r.id} value={r.id} selected={tip.assigneeId === r.id}>{r.displayName}</option>)}
          </select>
        </div>
        <button type="submit">{t('tips.detail.assign')}</button>
      </form>

      <form method="post" action={`${base}/duplicate`}>
        <CsrfField />
        <div class="field">
          <label for="duplicateOf">{t('tips.detail.duplicateLabel')}</label>
          <span class="hint" id="duplicateOf-hint">{t('tips.detail.duplicateHint')}</span>
          <input id="duplicateOf" name="duplicateOf" type="text" autocomplete="off" maxLength={80} value={tip.duplicateOf ? tip.duplicateOf.slice(0, 8) : ''} aria-describedby="duplicateOf-hint" />
        </div>
        <button type="submit">{t('tips.detail.linkDuplicate')}</button>
      </form>

      {tip.spamFlaggedAt ? (
        <p><span class="badge badge-warn">{t('tips.detail.spamFlagged')}</span></p>
      ) : (
        <form method="post" action={`${base}/spam`}>
          <CsrfField />
          <p class="hint" id="spam-hint">{t('tips.detail.flagSpamHint')}</p>
          <button type="submit" aria-describedby="spam-hint">{t('tips.detail.flagSpam')}</button>
        </form>
      )}

      {detail.readable ? (
        <form method="post" action={`${base}/tags`}>
          <CsrfField />
          <div class="field">
            <label for="tags">{t('tips.detail.tags')}</label>
            <span class="hint" id="tags-hint">{t('tips.detail.tagsHint')}</span>
            <input id="tags" name="tags" type="text" autocomplete="off" maxLength={500} value={detail.tags.join(', ')} aria-describedby="tags-hint" />
          </div>
          <button type="submit">{t('tips.detail.saveTags')}</button>
        </form>
      ) : null}
    </section>
  );
}

function Sharing({ tipId, access, readable }: { tipId: string; access: NonNullable<TipPageProps['access']>; readable: boolean }) {
  const { t } = usePage();
  const lacking = access.filter((a) => a.state !== 'ok');
  return (
    <section aria-labelledby="sharing-title">
      <h2 id="sharing-title">{t('tips.access.tipTitle')}</h2>
      <ul>
        {access.map((a) => (
          <li key={a.id}>
            {a.displayName}:{' '}
            <span class={`badge${a.state === 'ok' ? ' badge-ok' : a.state === 'stale' ? ' badge-warn' : ''}`}>{t(`tips.access.state.${a.state}`)}</span>
          </li>
        ))}
      </ul>
      {readable && lacking.length ? (
        <form method="post" action={`/console/tips/${tipId}/grant`}>
          <CsrfField />
          <div class="field">
            <label for="accountId">{t('tips.access.shareWith')}</label>
            <select id="accountId" name="accountId">
              {lacking.map((a) => <option key={a.id} value={a.id}>{a.displayName}</option>)}
            </select>
          </div>
          <button type="submit">{t('tips.access.share')}</button>
        </form>
      ) : null}
    </section>
  );
}

/** One tip, decrypted for the staff member who opened it (an audit row says so). */
export function TipPage(props: TipPageProps) {
  const { t } = usePage();
  const time = useOfficeTime();
  const { detail, can } = props;
  const { tip } = detail;
  const base = `/console/tips/${tip.id}`;
  return (
    <ConsoleLayout title={t('tips.detail.title', { ref: refLabel(tip.id) })}>
      <p><a href="/console/tips">{t('tips.detail.back')}</a></p>
      <h1>{t('tips.detail.title', { ref: refLabel(tip.id) })}</h1>
      {props.notice ? <p class="notice notice-ok" role="status">{t(`tips.detail.notice.${props.notice}`)}</p> : null}
      {props.error ? <p class="notice notice-danger" role="alert">{t(props.error)}</p> : null}
      {props.deleteOn ? <p class="notice notice-danger">{t('tips.detail.deletesOn', { date: time(props.deleteOn, 'date') })}</p> : null}
      {/* The side column comes first: above the content on a phone, beside it on a wide screen. */}
      <div class="tip-layout">
        <aside class="tip-aside" aria-labelledby="standing-title">
          <h2 id="standing-title" class="visually-hidden">{t('tips.detail.standing')}</h2>
          <Meta detail={detail} readers={props.readers} />
          {tip.referredTo ? <p><a href={`${base}/handoff`}>{t('tips.handoff.link')}</a></p> : null}
          {can.triage ? <Workflow detail={detail} next={props.next} readers={props.readers} /> : null}
          {can.grant && props.access ? <Sharing tipId={tip.id} access={props.access} readable={detail.readable} /> : null}
        </aside>
        <div class="tip-main">
          {!detail.readable ? (
            <p class="notice notice-danger">{t('tips.detail.noAccess')}</p>
          ) : (
            <>
              <section aria-labelledby="answers-title">
                <h2 id="answers-title">{t('tips.detail.answers')}</h2>
                <AnswersList answers={detail.answers!} />
                <h3>{t('tips.detail.files')}</h3>
                {detail.files.length ? <FileList tipId={tip.id} files={detail.files} /> : <p>{t('tips.detail.noFiles')}</p>}
                {detail.tags.length ? <p>{t('tips.detail.tags')}: {detail.tags.map((tag) => <span key={tag} class="badge">{tag}</span>)}</p> : null}
              </section>
              <section aria-labelledby="contact-title">
                <h2 id="contact-title">{t('tips.detail.contact')}</h2>
                <Contact detail={detail} canOpen={can.identity} />
              </section>
              <section aria-labelledby="conversation-title">
                <h2 id="conversation-title">{t('tips.detail.conversation')}</h2>
                {detail.messages.length === 0 ? <p>{t('tips.conversation.noMessages')}</p> : (
                  <ol>
                    {detail.messages.map((m) => (
                      <li key={m.id}>
                        {/* Messages are stored to the hour (the sender's side keeps no finer time), so they show the hour. */}
                        <p><strong>{m.author === 'tipster' ? t('tips.detail.tipster') : m.authorName}</strong> · {time(m.at, 'hour')}</p>
                        <p><MultiLine text={m.body} /></p>
                        <FileList tipId={tip.id} files={m.files} />
                      </li>
                    ))}
                  </ol>
                )}
                <form method="post" action={`${base}/reply`}>
                  <CsrfField />
                  <div class="field">
                    <label for="reply">{t('tips.detail.reply')}</label>
                    <span class="hint" id="reply-hint">{t('tips.detail.replyHint')}</span>
                    <textarea id="reply" name="reply" rows={4} maxLength={20_000} autocomplete="off" aria-describedby="reply-hint" required />
                  </div>
                  <button type="submit">{t('tips.detail.sendReply')}</button>
                </form>
              </section>
              <section aria-labelledby="notes-title">
                <h2 id="notes-title">{t('tips.detail.notes')}</h2>
                {detail.notes.length === 0 ? <p>{t('tips.detail.noNotes')}</p> : (
                  <ul>
                    {detail.notes.map((n) => (
                      <li key={n.id}>
                        <p><strong>{n.authorName}</strong> · {time(n.at, 'minute')}</p>
                        <p><MultiLine text={n.body} /></p>
                      </li>
                    ))}
                  </ul>
                )}
                <form method="post" action={`${base}/notes`}>
                  <CsrfField />
                  <div class="field">
                    <label for="note">{t('tips.detail.addNote')}</label>
                    <textarea id="note" name="note" rows={3} maxLength={20_000} autocomplete="off" required />
                  </div>
                  <button type="submit">{t('tips.detail.saveNote')}</button>
                </form>
              </section>
              {props.timeline ? <TipTimeline detail={detail} entries={props.timeline} /> : null}
            </>
          )}
        </div>
      </div>
    </ConsoleLayout>
  );
}
