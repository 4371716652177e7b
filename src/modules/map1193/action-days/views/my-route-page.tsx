import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import type { myRoute } from '../service.ts';
import { OBSERVATIONS, PROBLEMS } from '../../tables.ts';
import { useProblemLabel } from '../../reports/views/report-fields.tsx';

export type MyRoutePageProps = { routes: Awaited<ReturnType<typeof myRoute>>; done: boolean; accountId: string; routeVersion: string };

export const ROUTE_SCRIPT = 'map1193-route.js';

const PLURAL_FORMS = ['one', 'other'] as const;

/**
 * What the route's island says about the reports kept on this device. Hidden until the island
 * runs: without JavaScript nothing is kept on the device, so there is nothing to tell.
 */
function OfflinePanel({ accountId, routeVersion }: { accountId: string; routeVersion: string }) {
  const { t } = usePage();
  const problemLabel = useProblemLabel();
  const counted = ['waiting', 'waitingOffline', 'waitingFailed', 'signedOut', 'sent', 'otherAccount'];
  const labels: Record<string, string> = {
    ready: t('map.route.offline.ready'),
    notSaved: t('map.route.offline.notSaved'),
    sending: t('map.route.offline.sending'),
    savedHere: t('map.route.offline.savedHere'),
    reported: t('map.route.reported'),
    refusedInvalid: t('map.route.offline.refusedInvalid'),
    refusedNotOnRoute: t('map.route.offline.refusedNotOnRoute'),
    discard: t('map.route.offline.discard'),
    discardConfirm: t('map.route.offline.discardConfirm'),
    retry: t('map.route.offline.retry'),
    refusedItem: t('map.route.offline.refusedItem'),
  };
  for (const key of counted) for (const form of PLURAL_FORMS) labels[`${key}.${form}`] = t(`map.route.offline.${key}.${form}`);
  for (const o of OBSERVATIONS) labels[`observation.${o}`] = t(`map.report.observation.${o}`);
  for (const p of PROBLEMS) labels[`problem.${p}`] = problemLabel(p);
  return (
    <section
      class="route-offline"
      data-offline-route="list"
      data-account={accountId}
      data-route-version={routeVersion}
      data-labels={JSON.stringify(labels)}
      aria-labelledby="route-offline-title"
      hidden
    >
      <h2 id="route-offline-title" data-part="title" tabindex={-1}>{t('map.route.offline.title')}</h2>
      <p data-part="readiness" />
      <p role="status" data-part="status" />
      <p data-part="sign-in" hidden>
        <a href={`/console/sign-in?next=${encodeURIComponent('/console/map1193/my-route')}`}>{t('map.route.offline.signIn')}</a>
      </p>
      <button type="button" data-part="send" hidden>{t('map.route.offline.send')}</button>
      <h3 data-part="refused-title" hidden>{t('map.route.offline.refusedTitle')}</h3>
      <ul data-part="refused" hidden />
    </section>
  );
}

/** A volunteer's route list: each day of action they are on, their team's stops in order. */
export function MyRoutePage({ routes, done, accountId, routeVersion }: MyRoutePageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('map.route.title')} scripts={[ROUTE_SCRIPT]}>
      <h1>{t('map.route.title')}</h1>
      {done ? <p role="status" class="notice">{t('map.route.thanks')}</p> : null}
      {routes.length === 0 ? <p>{t('map.route.none')}</p> : null}
      {/* Shown with no route too: reports saved on this phone yesterday still have to be sent. */}
      <OfflinePanel accountId={accountId} routeVersion={routeVersion} />
      {routes.map((r) => (
        <section key={r.teamId} aria-labelledby={`route-${r.teamId}`}>
          <h2 id={`route-${r.teamId}`}>{r.day}: {r.title} · {r.teamName}</h2>
          <ol>
            {r.stops.map((s) => (
              <li key={s.id} data-stop={s.id}>
                <a href={`/console/map1193/my-route/${s.id}`}>{s.name}</a>, {s.address}, {s.city} · <span data-part="state">{s.reported ? t('map.route.reported') : t('map.route.toVisit')}</span>
                <span data-part="saved" />
              </li>
            ))}
          </ol>
        </section>
      ))}
    </ConsoleLayout>
  );
}
