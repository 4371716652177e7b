import { ERASED_BODY, type OutboxRow } from '../../../core/mail/outbox.ts';
import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import { DataTable } from '../../../core/views/data-table.tsx';
import type { OutboxSummary } from '../repo.ts';
import { OfficeTime } from '../../../core/views/time.ts';

export type Delivery = { kind: 'smtp' | 'folder'; where: string };

function DeliveryNote({ delivery }: { delivery: Delivery }) {
  const { t } = usePage();
  return delivery.kind === 'smtp' ? (
    <p>{t('outbox.delivery.smtp', { server: delivery.where })}</p>
  ) : (
    <div class="notice" role="note">
      <p>{t('outbox.delivery.folder', { folder: delivery.where })}</p>
      <p>{t('outbox.delivery.folderHelp')}</p>
    </div>
  );
}

/** "Sent" only where a mail server took the message; without one it was written to the folder. */
function StateBadge({ state, delivery }: { state: string; delivery: Delivery }) {
  const { t } = usePage();
  const tone = state === 'sent' ? 'badge-ok' : state === 'failed' ? 'badge-danger' : 'badge-warn';
  const word = state === 'sent' && delivery.kind === 'folder' ? 'written' : state;
  return <span class={`badge ${tone}`}>{t(`outbox.states.${word}`)}</span>;
}

export type OutboxListProps = { rows: OutboxSummary[]; total: number; page: number; pages: number; delivery: Delivery };

/** Every message the office has queued, newest first, with where it stands. */
export function OutboxListPage({ rows, total, page, pages, delivery }: OutboxListProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('outbox.list.title')}>
      <h1>{t('outbox.list.title')}</h1>
      <DeliveryNote delivery={delivery} />
      <p role="status">{t('outbox.list.count', { count: total })}</p>
      <DataTable
        caption={t('outbox.list.title')}
        captionHidden
        wrap
        columns={[t('outbox.fields.to'), t('outbox.fields.subject'), t('outbox.fields.state'), t('outbox.fields.attempts'), t('outbox.fields.lastError'), t('outbox.fields.createdAt')]}
        rows={rows.map((row) => ({
          key: row.id,
          cells: [
            row.toAddress,
            <a href={`/console/outbox/${row.id}`}>{row.subject}</a>,
            <StateBadge state={row.state} delivery={delivery} />,
            row.attempts,
            row.lastError ?? '—',
            <OfficeTime at={row.createdAt} show="minute" />,
          ],
        }))}
        empty={t('outbox.list.empty')}
      />
      {pages > 1 ? (
        <nav class="actions" aria-label={t('outbox.list.pages')}>
          {page > 1 ? <a href={`/console/outbox?page=${page - 1}`} rel="prev">{t('outbox.list.previous')}</a> : null}
          <span>{t('outbox.list.pageOf', { page, pages })}</span>
          {page < pages ? <a href={`/console/outbox?page=${page + 1}`} rel="next">{t('outbox.list.next')}</a> : null}
        </nav>
      ) : null}
    </ConsoleLayout>
  );
}

export type OutboxMessageProps = { message: OutboxRow; delivery: Delivery };

/**
 * One message: its text part as sent, and its HTML part as source text. The HTML is never
 * rendered into the console page, so nothing in a message can run or load here.
 */
export function OutboxMessagePage({ message, delivery }: OutboxMessageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={message.subject}>
      <p><a href="/console/outbox">{t('outbox.message.back')}</a></p>
      <h1>{message.subject}</h1>
      <DeliveryNote delivery={delivery} />
      <dl>
        <dt>{t('outbox.fields.to')}</dt>
        <dd>{message.toAddress}</dd>
        <dt>{t('outbox.fields.state')}</dt>
        <dd><StateBadge state={message.state} delivery={delivery} /></dd>
        <dt>{t('outbox.fields.attempts')}</dt>
        <dd>{message.attempts}</dd>
        {message.lastError ? (
          <>
            <dt>{t('outbox.fields.lastError')}</dt>
            <dd>{message.lastError}</dd>
          </>
        ) : null}
        <dt>{t('outbox.fields.createdAt')}</dt>
        <dd><OfficeTime at={message.createdAt} show="minute" /></dd>
        <dt>{t(delivery.kind === 'folder' ? 'outbox.fields.writtenAt' : 'outbox.fields.sentAt')}</dt>
        <dd>{message.sentAt ? <OfficeTime at={message.sentAt} show="minute" /> : '—'}</dd>
        <dt>{t('outbox.fields.template')}</dt>
        <dd><code>{message.template}</code></dd>
      </dl>
      {isErased(message) ? (
        <p class="notice" role="note">{t('outbox.message.erased')}</p>
      ) : (
        <MessageParts message={message} />
      )}
    </ConsoleLayout>
  );
}

/** A body carrying a link that worked by itself is emptied once the link is spent or delivered. */
function isErased(message: OutboxRow): boolean {
  return message.bearer === 1 && message.textBody === ERASED_BODY && message.htmlBody === ERASED_BODY;
}

function MessageParts({ message }: { message: OutboxRow }) {
  const { t } = usePage();
  return (
    <>
      <p class="notice" role="note">{t('outbox.message.linkWarning')}</p>
      <h2 id="text-part">{t('outbox.message.text')}</h2>
      <div class="table-wrap" role="region" aria-labelledby="text-part" tabindex={0}>
        <pre>{message.textBody}</pre>
      </div>
      <h2 id="html-part">{t('outbox.message.html')}</h2>
      <p class="hint">{t('outbox.message.htmlHint')}</p>
      <details>
        <summary>{t('outbox.message.showHtml')}</summary>
        <div class="table-wrap" role="region" aria-labelledby="html-part" tabindex={0}>
          <pre>{message.htmlBody}</pre>
        </div>
      </details>
    </>
  );
}

/** Sample props for render tests. */
export const sampleOutboxMessage: OutboxMessageProps = {
  message: {
    id: 'm1',
    toAddress: 'rosa@example.org',
    subject: 'Your staff account',
    textBody: 'Open https://example.org/console/invitations/abc',
    htmlBody: '<!doctype html><html><body><script>alert(1)</script></body></html>',
    template: 'accounts.invitation',
    state: 'queued',
    attempts: 0,
    lastError: null,
    messageId: null,
    createdAt: '2026-01-15T10:00:00.000Z',
    sentAt: null,
    bearer: 1,
  },
  delivery: { kind: 'folder', where: '/srv/heatwatch/data/outbox' },
};
