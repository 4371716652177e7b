import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';
import type { myRoute } from '../actions.service.ts';

export type MyRoutePageProps = { routes: Awaited<ReturnType<typeof myRoute>>; done: boolean };

/** A volunteer's route list: each day of action they are on, their team's stops in order. */
export function MyRoutePage({ routes, done }: MyRoutePageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('map.route.title')}>
      <h1>{t('map.route.title')}</h1>
      {done ? <p role="status" class="notice">{t('map.route.thanks')}</p> : null}
      {routes.length === 0 ? <p>{t('map.route.none')}</p> : null}
      {routes.map((r) => (
        <section key={r.teamId} aria-labelledby={`route-${r.teamId}`}>
          <h2 id={`route-${r.teamId}`}>{r.day}: {r.title} · {r.teamName}</h2>
          <ol>
            {r.stops.map((s) => (
              <li key={s.id}>
                <a href={`/console/map1193/my-route/${s.id}`}>{s.name}</a>, {s.address}, {s.city} · {s.reported ? t('map.route.reported') : t('map.route.toVisit')}
              </li>
            ))}
          </ol>
        </section>
      ))}
    </ConsoleLayout>
  );
}
