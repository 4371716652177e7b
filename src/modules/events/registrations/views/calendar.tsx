import { usePage } from '../../../../core/views/context.ts';
import { Layout } from '../../../../core/views/layout.tsx';
import { useOfficeTime } from '../../../../core/views/time.ts';
import type { EventRow } from '../../tables.ts';

/** The public calendar as a list: upcoming events, soonest first. */
export function CalendarPage({ events }: { events: EventRow[] }) {
  const { t, href } = usePage();
  const when = useOfficeTime();
  return (
    <Layout title={t('events.public.calendarTitle')} description={t('events.public.calendarDescription')}>
      <h1>{t('events.public.calendarTitle')}</h1>
      <p class="prose">{t('events.public.calendarIntro')} <a href={href('/trainings/request')}>{t('events.public.hostLink')}</a></p>
      {events.length ? (
        <ul class="cards">
          {events.map((e) => (
            <li class="card" key={e.id}>
              <h2><a href={href(`/events/${e.id}`)}>{e.title}</a></h2>
              <p>{when(e.startsAt, 'minute')}</p>
              <p>{e.online ? t('events.public.online') : e.location} · {t(`common.languageName.${e.language}`)}</p>
            </li>
          ))}
        </ul>
      ) : <p>{t('events.public.none')}</p>}
    </Layout>
  );
}
