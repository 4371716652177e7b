import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import { useOfficeTime } from '../../../../core/views/time.ts';
import type { EventRow } from '../../tables.ts';

export type ConsoleEventProps = { event: EventRow; link: string; done?: 'converted' };

/** An event as the office sees it: its facts and the registration link to share. */
export function ConsoleEventPage({ event, link, done }: ConsoleEventProps) {
  const { t } = usePage();
  const when = useOfficeTime();
  return (
    <ConsoleLayout title={event.title}>
      {event.requestId ? <p><a href={`/console/trainings/${event.requestId}`}>{t('events.console.backToRequest')}</a></p> : null}
      <h1>{event.title}</h1>
      {done ? <p class="notice notice-ok" role="status">{t(`events.console.done.${done}`)}</p> : null}
      <p>
        <span class="badge">{t(`events.eventStatus.${event.status}`)}</span>{' '}
        <span class="badge">{event.listed ? t('events.console.listed') : t('events.console.unlisted')}</span>
      </p>
      <dl class="facts">
        <dt>{t('events.console.starts')}</dt>
        <dd>{when(event.startsAt, 'minute')}</dd>
        <dt>{t('events.console.ends')}</dt>
        <dd>{when(event.endsAt, 'minute')}</dd>
        <dt>{t('events.console.where')}</dt>
        <dd>{event.online ? t('events.console.online') : event.location}</dd>
        <dt>{t('events.console.language')}</dt>
        <dd>{t(`common.languageName.${event.language}`)}</dd>
        <dt>{t('events.console.capacity')}</dt>
        <dd>{event.capacity}</dd>
      </dl>
      <h2 id="share-heading">{t('events.console.shareHeading')}</h2>
      <p class="hint" id="share-hint">{t('events.console.shareHint')}</p>
      <p><code aria-describedby="share-hint" data-share-link="">{link}</code></p>
    </ConsoleLayout>
  );
}
