import { usePage } from '../../../core/views/context.ts';
import { CsrfField, ErrorSummary, type FormState, TextArea, TextField } from '../../../core/views/forms.tsx';
import { Layout } from '../../../core/views/layout.tsx';
import { MAX_FILES } from '../attachments.ts';
import type { ConversationView } from '../follow-up.service.ts';
import { FileField, MultiLine } from './fields.tsx';
import { useOfficeTime } from '../../../core/views/time.ts';

export type FollowUpProps = {
  form: FormState;
  /** Seconds this connection waits before its next try (after too many wrong codes). */
  waitSeconds?: number;
  /** The typed code is put back in the box: the try was not checked, only put off. */
  keepCode?: boolean;
  /** Seconds until the site checks codes again, at its hourly ceiling of wrong codes. */
  siteBusySeconds?: number;
  /**
   * A message the tipster was sending when told to wait: the page then posts it, kept, to
   * where it was going, once the wait is over.
   */
  withMessage?: boolean;
  expired?: boolean;
};

/** Whole minutes to wait, never "0 minutes". */
export const minutesOf = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));

/** Where a tipster types their receipt code. The code is never put in a URL or a cookie. */
export function FollowUpPage({ form, waitSeconds, keepCode, siteBusySeconds, withMessage, expired }: FollowUpProps) {
  const { t, href } = usePage();
  return (
    <Layout title={t('tips.followUp.title')} noindex>
      <h1>{t('tips.followUp.title')}</h1>
      <p class="prose">{t('tips.followUp.intro')}</p>
      {waitSeconds ? (
        <p class="notice notice-danger" role="alert">
          {t('tips.followUp.wait', { count: waitSeconds })}
          {keepCode ? ` ${t('tips.followUp.waitKept')}` : null}
        </p>
      ) : null}
      {siteBusySeconds ? <p class="notice notice-danger" role="alert">{t('tips.followUp.siteBusy', { count: minutesOf(siteBusySeconds) })}</p> : null}
      {expired ? <p class="notice notice-danger" role="alert">{t('tips.followUp.expired')}</p> : null}
      <ErrorSummary errors={form.errors} />
      <form method="post" action={href(withMessage ? '/tip/follow-up/message' : '/tip/follow-up')} enctype={withMessage ? 'multipart/form-data' : undefined} autocomplete="off" novalidate>
        <CsrfField />
        <TextField state={form} name="receipt" label={t('tips.followUp.receipt')} hint={t('tips.followUp.receiptHint')} inputMode="numeric" autocomplete="off" maxLength={40} required keepValue={keepCode === true} />
        {withMessage ? (
          <>
            <TextArea state={form} name="message" label={t('tips.conversation.message')} maxLength={20_000} rows={5} autocomplete="off" required />
            <FileField state={form} name="files" label={t('tips.form.files')} hint={t('tips.form.filesHint', { max: MAX_FILES })} />
          </>
        ) : null}
        <button type="submit">{withMessage ? t('tips.conversation.send') : t('tips.followUp.open')}</button>
      </form>
      <p><a href={href('/tip')}>{t('tips.followUp.newTip')}</a></p>
    </Layout>
  );
}

export const sampleFollowUpProps: FollowUpProps = { form: { values: {}, errors: {} } };

export type ConversationProps = {
  /** Carried in a hidden field so the tipster can write back without a cookie; the page is never cached. */
  receipt: string;
  view: ConversationView;
  form: FormState;
  sent?: boolean;
  expired?: boolean;
};

/** The tip's status and the conversation with the office, and a form to add to it. */
export function ConversationPage({ receipt, view, form, sent, expired }: ConversationProps) {
  const { t, href } = usePage();
  // The coarse hour only: the tip line never shows (or puts in markup) a finer time of a tipster.
  const time = useOfficeTime();
  return (
    <Layout title={t('tips.conversation.title')} noindex>
      <h1>{t('tips.conversation.title')}</h1>
      {sent ? <p class="notice notice-ok" role="status">{t('tips.conversation.sent')}</p> : null}
      {expired ? <p class="notice notice-danger" role="alert">{t('tips.followUp.expired')}</p> : null}
      <p>
        {t('tips.conversation.status')} <strong class="badge">{t(`tips.publicStatus.${view.status}`)}</strong>
      </p>
      <p>{t('tips.conversation.received', { when: time(view.receivedAt, 'hour') })}</p>
      {view.files.length ? <p>{t('tips.conversation.yourFiles', { files: view.files.join(', ') })}</p> : null}
      <h2>{t('tips.conversation.messages')}</h2>
      {view.messages.length === 0 ? (
        <p>{t('tips.conversation.noMessages')}</p>
      ) : (
        <ol class="prose">
          {view.messages.map((m, i) => (
            <li key={i}>
              <p><strong>{m.author === 'staff' ? t('tips.conversation.fromOffice') : t('tips.conversation.fromYou')}</strong> · <time>{time(m.at, 'hour')}</time></p>
              <p><MultiLine text={m.body} /></p>
              {m.files.length ? <p>{t('tips.conversation.attached', { files: m.files.join(', ') })}</p> : null}
            </li>
          ))}
        </ol>
      )}
      <h2>{t('tips.conversation.addTitle')}</h2>
      <ErrorSummary errors={form.errors} />
      <form method="post" action={href('/tip/follow-up/message')} enctype="multipart/form-data" autocomplete="off" novalidate>
        <CsrfField />
        <input type="hidden" name="receipt" value={receipt} />
        <TextArea state={form} name="message" label={t('tips.conversation.message')} maxLength={20_000} rows={5} autocomplete="off" required />
        <FileField state={form} name="files" label={t('tips.form.files')} hint={t('tips.form.filesHint', { max: MAX_FILES })} />
        <button type="submit">{t('tips.conversation.send')}</button>
      </form>
      <p><a href={href('/tip/follow-up')}>{t('tips.conversation.close')}</a></p>
    </Layout>
  );
}

export const sampleConversationProps: ConversationProps = {
  receipt: '1234567890123456',
  form: { values: {}, errors: {} },
  view: { status: 'in_review', receivedAt: '2026-01-15T10:00:00.000Z', files: [], messages: [{ author: 'staff', at: '2026-01-15T12:00:00.000Z', body: 'Thank you.', files: [] }] },
};
