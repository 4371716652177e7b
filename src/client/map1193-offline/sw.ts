// The service worker behind the volunteer's route: it keeps the route list, each stop's report
// form and the static files they use, so the route opens and reports can be made with no
// connection, and it sends queued reports through background sync when the connection returns.
// Every other console page goes to the network as if it were not here.
import { OFFLINE_PATH, ROUTE_PATH, sendQueued, SYNC_TAG } from './sync.ts';

type ExtendableEvent = Event & { waitUntil(work: Promise<unknown>): void };
type FetchEvent = ExtendableEvent & { request: Request; respondWith(response: Response | Promise<Response>): void };
type SyncEvent = ExtendableEvent & { tag: string };
type MessageEvent = ExtendableEvent & { data: unknown; ports: readonly MessagePort[]; source: { url?: string } | null };
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
/** Saved route pages live in `pages-<route version>`: a new version is filled before the old one goes. */
const PAGES_PREFIX = `${PREFIX}pages-`;
const ASSETS = `${PREFIX}assets-v1`;
/** On a slow connection the saved copy is shown after this long rather than a blank screen. */
const NETWORK_PATIENCE_MS = 6000;

const sameOrigin = (url: URL) => url.origin === worker.location.origin;
/** The route list and one stop's page; the JSON endpoints under the same path are not pages. */
const STOP_PAGE = new RegExp(`^${ROUTE_PATH}/[A-Za-z0-9_-]+$`);
const isRoutePage = (path: string) => path === ROUTE_PATH || STOP_PAGE.test(path);
/** Posts that end one person's session or start another's: the saved route belongs to the old one. */
const isSessionBoundary = (path: string) =>
  path === '/console/sign-out' || path === '/console/account/sessions/sign-out-everywhere' || path.startsWith('/console/sign-in') || path.startsWith('/console/invitations/');

worker.addEventListener('install', (event) => {
  event.waitUntil(worker.skipWaiting());
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith(PREFIX) && !name.startsWith(PAGES_PREFIX) && name !== ASSETS) await caches.delete(name);
      await worker.clients.claim();
    })(),
  );
});

/** The page caches, newest last (the Cache API lists names in the order they were made). */
const pageCacheNames = async () => (await caches.keys()).filter((name) => name.startsWith(PAGES_PREFIX));

async function currentPages(): Promise<Cache | undefined> {
  const names = await pageCacheNames();
  const name = names[names.length - 1];
  return name ? caches.open(name) : undefined;
}

async function savedPage(key: string): Promise<Response | undefined> {
  return (await currentPages())?.match(key);
}

/** The saved pages hold the team's plan for the day: they go when the session does. */
async function forgetPages(): Promise<void> {
  for (const name of await pageCacheNames()) await caches.delete(name);
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function offlineAnswer(): Promise<Response> {
  const saved = await savedPage(new URL(OFFLINE_PATH, worker.location.origin).href);
  // Reached only when the route was never saved on this device, so no translated page exists yet.
  return saved ?? new Response('Offline / Sin conexión', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/**
 * Network first, so the route is always current when there is a connection; the saved copy
 * when the network fails, is slow, or answers with a server error. A redirect (the session has
 * expired) is passed on but keeps the saved copy: the volunteer may still need it offline
 * before they can sign in again.
 */
function routePage(event: FetchEvent): Promise<Response> {
  const url = new URL(event.request.url);
  const key = url.origin + url.pathname;
  const network = fetch(event.request).then((response) => {
    if (response.ok && url.search === '') {
      const copy = response.clone();
      // Saving is not in the way of the page: a full disk must not cost the volunteer the live page.
      event.waitUntil(currentPages().then((cache) => cache?.put(key, copy)).catch(() => undefined));
    }
    return response;
  });
  return (async () => {
    const saved = await savedPage(key);
    if (!saved) return network.catch(offlineAnswer);
    const usable = network.then((response) => (response.status >= 500 ? saved : response));
    return Promise.race([usable, delay(NETWORK_PATIENCE_MS).then(() => saved)]).catch(() => saved);
  })();
}

/** Asset names carry a hash of their contents, so a saved copy is never stale. */
async function asset(event: FetchEvent): Promise<Response> {
  const cache = await caches.open(ASSETS);
  const saved = await cache.match(event.request);
  if (saved) return saved;
  const response = await fetch(event.request);
  if (response.ok) {
    const copy = response.clone();
    event.waitUntil(cache.put(event.request, copy).catch(() => undefined));
  }
  return response;
}

/** A sign-in or sign-out goes to the network; once the server has answered, the saved route is forgotten. */
function sessionBoundary(event: FetchEvent): Promise<Response> {
  return fetch(event.request).then(async (response) => {
    await forgetPages().catch(() => undefined);
    return response;
  });
}

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (!sameOrigin(url)) return;
  if (request.method === 'POST' && isSessionBoundary(url.pathname)) {
    event.respondWith(sessionBoundary(event));
    return;
  }
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate' && isRoutePage(url.pathname)) event.respondWith(routePage(event));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(event));
});

type KeepMessage = { type: 'keep'; version: string; pages: string[]; assets: string[] };
export type KeepReply = { saved: boolean; available: boolean };

function isKeepMessage(data: unknown): data is KeepMessage {
  const m = data as Partial<KeepMessage> | null;
  return !!m && m.type === 'keep' && typeof m.version === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(m.version) && Array.isArray(m.pages) && Array.isArray(m.assets);
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
 * Saves the route list, every stop on it and the offline page, as version `version` of the
 * route. A version already saved in full is not fetched again: the stop pages change only when
 * the plan does, and every megabyte counts on a prepaid phone. A new version is written into a
 * cache of its own and the old one deleted after, so the saved route is never half old, half new.
 */
async function keep(message: KeepMessage): Promise<KeepReply> {
  const pages = ownPaths(message.pages, (path) => isRoutePage(path) || path === OFFLINE_PATH);
  const assets = ownPaths(message.assets, (path) => path.startsWith('/assets/'));
  const origin = worker.location.origin;
  const name = PAGES_PREFIX + message.version;
  const existing = await pageCacheNames();
  if (existing[existing.length - 1] === name) {
    const cache = await caches.open(name);
    const present = await Promise.all(pages.map((path) => cache.match(origin + path)));
    if (present.every(Boolean)) return { saved: true, available: true };
  }
  const available = async () => !!(await savedPage(origin + ROUTE_PATH));
  const responses = await fetchAll(pages);
  if (responses.some((r) => !r || !r.ok)) return { saved: false, available: await available() };
  try {
    await caches.delete(name);
    const cache = await caches.open(name);
    for (let i = 0; i < pages.length; i += 1) await cache.put(origin + pages[i]!, responses[i]!);
  } catch {
    await caches.delete(name).catch(() => undefined);
    return { saved: false, available: await available() };
  }
  for (const old of existing) if (old !== name) await caches.delete(old);
  const assetCache = await caches.open(ASSETS);
  for (const path of assets) if (!(await assetCache.match(path))) await assetCache.add(path).catch(() => undefined);
  for (const request of await assetCache.keys()) if (!assets.includes(new URL(request.url).pathname)) await assetCache.delete(request);
  return { saved: true, available: true };
}

worker.addEventListener('message', (event) => {
  if (!isKeepMessage(event.data)) return;
  // Only the route list asks: no other page may make the worker fetch or forget the route.
  const from = event.source?.url ? new URL(event.source.url) : undefined;
  const port = event.ports[0];
  if (!from || !sameOrigin(from) || from.pathname !== ROUTE_PATH) {
    port?.postMessage({ saved: false, available: false } satisfies KeepReply);
    return;
  }
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
