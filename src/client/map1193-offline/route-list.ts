// The route list, enhanced: it saves the route for use offline, shows what is waiting on this
// device, and sends it when there is a connection (on load, when the connection returns, on
// "Send now", and on a timer while reports wait). It runs even when the volunteer has no route
// left (the day has passed, the team changed): reports made earlier must still be sent.
import { fill, type Labels, plural, readLabels } from './labels.ts';
import { forgetReport, type QueuedReport, queuedReports, saveReport } from './queue.ts';
import { OFFLINE_PATH, ROUTE_PATH, sendQueued, type SyncResult } from './sync.ts';
import { keepForOffline, registerWorker, requestBackgroundSync } from './worker.ts';

/** Retries while the page is open: 30 s, doubling to 10 minutes. */
const RETRY_FIRST_MS = 30_000;
const RETRY_MAX_MS = 600_000;

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

/** A report the server would not take, with everything typed, and what can be done with it. */
function refusedItem(report: QueuedReport, labels: Labels, actions: { retry(): void; discard(): void }): HTMLLIElement {
  const item = document.createElement('li');
  const reasonId = `refused-${report.reportId}`;
  const reason = document.createElement('p');
  reason.id = reasonId;
  const why = labels[report.refusal === 'not_on_route' ? 'refusedNotOnRoute' : 'refusedInvalid'] ?? '';
  reason.textContent = fill(labels.refusedItem ?? '{name}: {reason}', { name: report.stopName, reason: why });
  const what = document.createElement('p');
  const problems = report.problems.map((p) => labels[`problem.${p}`] ?? p).join(', ');
  what.textContent = [labels[`observation.${report.observed}`] ?? report.observed, problems, report.note].filter(Boolean).join(' · ');
  const button = (text: string, onClick: () => void) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'secondary';
    b.textContent = text;
    b.setAttribute('aria-describedby', reasonId);
    b.addEventListener('click', onClick);
    return b;
  };
  item.append(reason, what, button(labels.retry ?? '', actions.retry), ' ', button(labels.discard ?? '', actions.discard));
  return item;
}

export function startRouteList(panel: HTMLElement): void {
  const labels = readLabels(panel);
  const account = panel.dataset.account ?? '';
  const status = part(panel, 'status');
  const signIn = part(panel, 'sign-in');
  const readiness = part(panel, 'readiness');
  const refusedTitle = part(panel, 'refused-title');
  const refusedList = part<HTMLUListElement>(panel, 'refused');
  const sendButton = part<HTMLButtonElement>(panel, 'send');
  let syncing = false;
  let last: SyncResult | undefined;
  let sentThisVisit = 0;
  // What the last render showed as waiting: a report gone from the queue since then was sent.
  let shownWaiting: QueuedReport[] = [];
  let shownRefused = '';
  const sentStops = new Set<string>();
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryDelay = RETRY_FIRST_MS;

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
    // Kept in place while sending, so keyboard focus on it is not lost.
    sendButton.hidden = waiting.length === 0 || last?.state === 'signed_out';
    sendButton.setAttribute('aria-disabled', syncing ? 'true' : 'false');
    renderRefused(refused);
  }

  /** Rebuilt only when the list changes, so a focused button is not replaced under the keyboard. */
  function renderRefused(refused: QueuedReport[]): void {
    const signature = refused.map((r) => r.reportId).join(',');
    if (signature === shownRefused) return;
    shownRefused = signature;
    refusedList.replaceChildren(
      ...refused.map((report) =>
        refusedItem(report, labels, {
          retry: () => void saveReport({ ...report, state: 'waiting', refusal: undefined }).then(() => render()).then(sync),
          discard: () => {
            if (!window.confirm(labels.discardConfirm ?? '')) return;
            void forgetReport(report.reportId).then(async () => {
              await render();
              // Focus goes to the next refused report, or to the panel's heading when none is left.
              (refusedList.querySelector<HTMLButtonElement>('button') ?? part(panel, 'title')).focus();
            });
          },
        }),
      ),
    );
    refusedList.hidden = refused.length === 0;
    refusedTitle.hidden = refused.length === 0;
  }

  function scheduleRetry(): void {
    if (retryTimer !== undefined || !shownWaiting.length) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void sync();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
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
    // A page from the cache may belong to whoever used this phone before: load the live one.
    if (last.account && last.account !== account) {
      location.replace(ROUTE_PATH);
      return;
    }
    await render();
    if (last.state === 'offline' || last.state === 'failed') {
      void requestBackgroundSync();
      scheduleRetry();
    } else retryDelay = RETRY_FIRST_MS;
  }

  panel.hidden = false;
  sendButton.addEventListener('click', () => {
    if (sendButton.getAttribute('aria-disabled') !== 'true') void sync();
  });
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
    const version = panel.dataset.routeVersion ?? '';
    const reply = registration && version ? await keepForOffline(registration, version, urls.pages, urls.assets) : { saved: false, available: false };
    readiness.textContent = labels[reply.available ? 'ready' : 'notSaved'] ?? '';
    panel.dataset.offlineReady = reply.available ? 'yes' : 'no';
  });
}
