import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';

/**
 * What the route's service worker shows, with no connection, for a route page it has no copy
 * of (a stop added after the route was last opened online).
 */
export function OfflineRoutePage() {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('map.route.offline.pageTitle')}>
      <h1>{t('map.route.offline.pageTitle')}</h1>
      <p>{t('map.route.offline.pageBody')}</p>
      <p><a href="/console/map1193/my-route">{t('map.route.back')}</a></p>
    </ConsoleLayout>
  );
}
