// The volunteer's route, usable with no connection: the island for the route list and for each
// stop's report form. Without JavaScript (or without a service worker and IndexedDB) both pages
// are ordinary server-rendered pages and need a connection.
import { startReportForm } from './report-form.ts';
import { startRouteList } from './route-list.ts';
import { offlineSupported } from './worker.ts';

if (offlineSupported()) {
  const list = document.querySelector<HTMLElement>('[data-offline-route="list"]');
  if (list) startRouteList(list);
  const form = document.querySelector<HTMLFormElement>('form[data-offline-route="report"]');
  if (form) startReportForm(form);
}
