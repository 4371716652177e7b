// The service worker behind the volunteer's route: it keeps the route list, each stop's report
// form and the static files they use, so the route opens and reports can be made with no
// connection, and it sends queued reports through background sync when the connection returns.
// It caches nothing else: every other console page goes to the network as if it were not here.
import { OFFLINE_PATH, ROUTE_PATH, sendQueued, SYNC_TAG } from './sync.ts';

type ExtendableEvent = Event & { waitUntil(work: Promise<unknown>): void };
type FetchEvent = ExtendableEvent & { request: Request; respondWith(response: Response | Promise<Response>): void };
type SyncEvent = ExtendableEvent & { tag: string };
type MessageEvent = ExtendableEvent & { data: unknown; ports: readonly MessagePort[] };
type WorkerScope = {
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void>; matchAll(options: { type: 'window' }): Promise<{ postMessage(message: unknown): void }[]> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'sync', listener: (event: SyncEvent) => void): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
};

const worker = self as unknown as WorkerScope;
const PREFIX = 'heatwatch-map1193-';
const PAGES = `${PREFIX}pages-v1`;
const ASSETS = `${PREFIX}assets-v1`;
/** On a slow connection the saved copy is shown after this long rather than a blank screen. */
const NETWORK_PATIENCE_MS = 6000;
const SIGN_OUT_PATHS = ['/console/sign-out', '/console/account/sessions/sign-out-everywhere'];

const sameOrigin = (url: URL) => url.origin === worker.location.origin;
/** The route list and one stop's page; the JSON endpoints under the same path are not pages. */
const isRoutePage = (path: string) => path === ROUTE_PATH || new RegExp(`^${ROUTE_PATH}/[A-Za-z0-9_-]+$`).test(path);

worker.addEventListener('install', (event) => {
  event.waitUntil(worker.skipWaiting());
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith(PREFIX) && name !== PAGES && name !== ASSETS) await caches.delete(name);
      await worker.clients.claim();
    })(),
  );
});

/** The saved pages hold the team's plan for the day: they go when the session does. */
const forgetPages = () => caches.delete(PAGES);

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function offlineAnswer(): Promise<Response> {
  const saved = await caches.match(OFFLINE_PATH, { cacheName: PAGES });
  return saved ?? new Response('Offline', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** Network first, so the route is always current when there is a connection; the saved copy otherwise. */
async function routePage(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const key = url.origin + url.pathname;
  const network = fetch(request).then(async (response) => {
    // A redirect here is the console sending a signed-out visitor to sign in.
    if (response.type === 'opaqueredirect') await forgetPages();
    else if (response.ok && url.search === '') await (await caches.open(PAGES)).put(key, response.clone());
    return response;
  });
  const saved = await caches.match(key, { cacheName: PAGES });
  if (!saved) return network.catch(offlineAnswer);
  return Promise.race([network, delay(NETWORK_PATIENCE_MS).then(() => saved)]).catch(() => saved);
}

/** Asset names carry a hash of their contents, so a saved copy is never stale. */
async function asset(request: Request): Promise<Response> {
  const cache = await caches.open(ASSETS);
  const saved = await cache.match(request);
  if (saved) return saved;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (!sameOrigin(url)) return;
  if (request.method === 'POST' && SIGN_OUT_PATHS.includes(url.pathname)) {
    event.waitUntil(forgetPages());
    return;
  }
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate' && isRoutePage(url.pathname)) event.respondWith(routePage(request));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(request));
});

type KeepMessage = { type: 'keep'; pages: string[]; assets: string[] };
export type KeepReply = { saved: boolean; available: boolean };

function isKeepMessage(data: unknown): data is KeepMessage {
  const m = data as Partial<KeepMessage> | null;
  return !!m && m.type === 'keep' && Array.isArray(m.pages) && Array.isArray(m.assets);
}

/** Only our own route pages and assets, whatever a page asks for. */
function ownPaths(urls: string[], allowed: (path: string) => boolean): string[] {
  const paths = new Set<string>();
  for (const raw of urls) {
    try {
      const url = new URL(raw, worker.location.origin);
      if (sameOrigin(url) && allowed(url.pathname)) paths.add(url.pathname);
    } catch {
      // Not a URL: ignored.
    }
  }
  return [...paths];
}

async function fetchAll(paths: string[]): Promise<(Response | undefined)[]> {
  const responses: (Response | undefined)[] = new Array(paths.length);
  let next = 0;
  // A few at a time: a long route should not queue dozens of requests on a phone's connection.
  const lane = async () => {
    while (next < paths.length) {
      const index = next++;
      responses[index] = await fetch(paths[index]!, { credentials: 'same-origin', redirect: 'manual', cache: 'no-store' }).catch(() => undefined);
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  return responses;
}

/**
 * Saves the route list, every stop on it and the offline page as they are now, and forgets the
 * stops no longer on the route. All or nothing: a copy half-updated on a failing connection
 * would mix two versions of the plan.
 */
async function keep(message: KeepMessage): Promise<KeepReply> {
  const pages = ownPaths(message.pages, (path) => isRoutePage(path) || path === OFFLINE_PATH);
  const assets = ownPaths(message.assets, (path) => path.startsWith('/assets/'));
  const available = async () => !!(await caches.match(worker.location.origin + ROUTE_PATH, { cacheName: PAGES }));
  const responses = await fetchAll(pages);
  if (responses.some((r) => r?.type === 'opaqueredirect')) {
    await forgetPages();
    return { saved: false, available: false };
  }
  if (responses.some((r) => !r || !r.ok)) return { saved: false, available: await available() };
  const pageCache = await caches.open(PAGES);
  await Promise.all(pages.map((path, i) => pageCache.put(worker.location.origin + path, responses[i]!)));
  for (const request of await pageCache.keys()) if (!pages.includes(new URL(request.url).pathname)) await pageCache.delete(request);
  const assetCache = await caches.open(ASSETS);
  for (const path of assets) if (!(await assetCache.match(path))) await assetCache.add(path).catch(() => undefined);
  for (const request of await assetCache.keys()) if (!assets.includes(new URL(request.url).pathname)) await assetCache.delete(request);
  return { saved: true, available: true };
}

worker.addEventListener('message', (event) => {
  if (!isKeepMessage(event.data)) return;
  const port = event.ports[0];
  event.waitUntil(
    keep(event.data).then(
      (reply) => port?.postMessage(reply),
      () => port?.postMessage({ saved: false, available: false } satisfies KeepReply),
    ),
  );
});

async function announce(message: unknown): Promise<void> {
  for (const client of await worker.clients.matchAll({ type: 'window' })) client.postMessage(message);
}

worker.addEventListener('sync', (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(
    sendQueued().then(async (result) => {
      await announce({ type: 'synced', result });
      // Rejecting asks the browser to try again later; a signed-out session will not mend itself.
      if (result.state === 'offline' || result.state === 'failed') throw new Error(`sync ${result.state}`);
    }),
  );
});
