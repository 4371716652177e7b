// The route list, enhanced: it saves the route for use offline, shows what is waiting on this
// device, and sends it when there is a connection (on load, when the connection returns, or
// on "Send now").
import { type Labels, plural, readLabels } from './labels.ts';
import { forgetReport, type QueuedReport, queuedReports } from './queue.ts';
import { OFFLINE_PATH, ROUTE_PATH, sendQueued, type SyncResult } from './sync.ts';
import { keepForOffline, registerWorker } from './worker.ts';

function part<T extends HTMLElement = HTMLElement>(root: ParentNode, name: string): T {
  return root.querySelector(`[data-part="${name}"]`) as T;
}

/** The route's pages and the files they load: what the worker must hold for the route to open offline. */
function routeUrls(): { pages: string[]; assets: string[] } {
  const stops = [...document.querySelectorAll<HTMLAnchorElement>('[data-stop] a[href]')].map((a) => new URL(a.href).pathname);
  const assets = [...document.querySelectorAll<HTMLLinkElement | HTMLScriptElement>('link[rel="stylesheet"][href], script[src]')].map(
    (el) => new URL(el instanceof HTMLLinkElement ? el.href : el.src).pathname,
  );
  return { pages: [ROUTE_PATH, OFFLINE_PATH, ...stops], assets };
}

function refusedItem(report: QueuedReport, labels: Labels, onDiscard: () => void): HTMLLIElement {
  const item = document.createElement('li');
  const reason = document.createElement('p');
  reason.textContent = `${report.stopName}: ${labels[report.refusal === 'not_on_route' ? 'refusedNotOnRoute' : 'refusedInvalid'] ?? ''}`;
  const what = document.createElement('p');
  what.textContent = [labels[`observation.${report.observed}`] ?? report.observed, report.note].filter(Boolean).join(' · ');
  const discard = document.createElement('button');
  discard.type = 'button';
  discard.className = 'secondary';
  discard.textContent = labels.discard ?? '';
  discard.addEventListener('click', onDiscard);
  item.append(reason, what, discard);
  return item;
}

export function startRouteList(panel: HTMLElement): void {
  const labels = readLabels(panel);
  const account = panel.dataset.account ?? '';
  const status = part(panel, 'status');
  const signIn = part(panel, 'sign-in');
  const readiness = part(panel, 'readiness');
  const refusedList = part<HTMLUListElement>(panel, 'refused');
  const sendButton = part<HTMLButtonElement>(panel, 'send');
  let syncing = false;
  let last: SyncResult | undefined;
  let sentThisVisit = 0;
  // What the last render showed as waiting: a report gone from the queue since then was sent.
  let shownWaiting: QueuedReport[] = [];
  const sentStops = new Set<string>();

  function statusText(waiting: number, others: number): string {
    const lines: string[] = [];
    if (syncing) lines.push(labels.sending ?? '');
    else if (waiting > 0) {
      const offline = !navigator.onLine || last?.state === 'offline';
      const key = last?.state === 'signed_out' ? 'signedOut' : offline ? 'waitingOffline' : last?.state === 'failed' ? 'waitingFailed' : 'waiting';
      lines.push(plural(labels, key, waiting));
    } else if (sentThisVisit > 0) lines.push(plural(labels, 'sent', sentThisVisit));
    if (others > 0) lines.push(plural(labels, 'otherAccount', others));
    return lines.join(' ');
  }

  async function render(): Promise<void> {
    const all = await queuedReports().catch(() => [] as QueuedReport[]);
    const mine = all.filter((r) => r.owner === account);
    const waiting = mine.filter((r) => r.state === 'waiting');
    const refused = mine.filter((r) => r.state === 'refused');
    const others = all.filter((r) => r.owner !== account && r.state === 'waiting').length;
    const present = new Set(all.map((r) => r.reportId));
    for (const report of shownWaiting) if (!present.has(report.reportId)) sentStops.add(report.stopId);
    shownWaiting = waiting;
    for (const stop of document.querySelectorAll<HTMLElement>('[data-stop]')) {
      const id = stop.dataset.stop ?? '';
      const queued = waiting.some((r) => r.stopId === id);
      part(stop, 'saved').textContent = queued ? ` · ${labels.savedHere ?? ''}` : '';
      if (sentStops.has(id)) part(stop, 'state').textContent = labels.reported ?? '';
    }
    const text = statusText(waiting.length, others);
    if (status.textContent !== text) status.textContent = text;
    signIn.hidden = !(waiting.length > 0 && last?.state === 'signed_out');
    sendButton.hidden = syncing || waiting.length === 0 || last?.state === 'signed_out';
    refusedList.replaceChildren(
      ...refused.map((report) =>
        refusedItem(report, labels, () => {
          void forgetReport(report.reportId).then(render);
        }),
      ),
    );
    refusedList.hidden = refused.length === 0;
    part(panel, 'refused-title').hidden = refused.length === 0;
  }

  async function sync(): Promise<void> {
    if (syncing) return;
    syncing = true;
    await render();
    try {
      last = await sendQueued();
    } catch {
      last = { state: 'failed', sent: 0 };
    }
    sentThisVisit += last.sent;
    syncing = false;
    await render();
  }

  panel.hidden = false;
  sendButton.addEventListener('click', () => void sync());
  window.addEventListener('online', () => void sync());
  window.addEventListener('offline', () => void render());
  navigator.serviceWorker.addEventListener('message', (event) => {
    const data = event.data as { type?: string; result?: SyncResult } | null;
    if (data?.type !== 'synced' || !data.result) return;
    last = data.result;
    sentThisVisit += data.result.sent;
    void render();
  });
  void render().then(sync);
  void registerWorker().then(async (registration) => {
    const urls = routeUrls();
    const reply = registration ? await keepForOffline(registration, urls.pages, urls.assets) : { saved: false, available: false };
    readiness.textContent = labels[reply.available ? 'ready' : 'notSaved'] ?? '';
    panel.dataset.offlineReady = reply.available ? 'yes' : 'no';
  });
}
