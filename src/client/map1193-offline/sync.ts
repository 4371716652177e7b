// Sends the queued route reports. Run by the page (on load, when the connection returns, on
// "Send now", on a timer while reports wait) and by the service worker's background sync; a
// Web Lock keeps two of them from sending at once, and the server's idempotency by report id
// covers whatever slips past it (a browser without locks, an answer lost after the server
// stored the report).
import { forgetReport, type QueuedReport, queuedReports, saveReport } from './queue.ts';

export const ROUTE_PATH = '/console/map1193/my-route';
/** Shown by the service worker for a route page it has no copy of. */
export const OFFLINE_PATH = `${ROUTE_PATH}/offline`;
export const SYNC_TAG = 'heatwatch-map1193-reports';
const LOCK = 'heatwatch-map1193-sync';
/** A request on a connection that looks up but carries nothing is given up after this long. */
const REQUEST_PATIENCE_MS = 20_000;

/**
 * How a sync ended: nothing left to try, no connection, no live session, or a server error on
 * at least one report (the others were still tried). `account` is who the server says is signed in.
 */
export type SyncState = 'done' | 'offline' | 'signed_out' | 'failed';
export type SyncResult = { state: SyncState; sent: number; account?: string };

type Session = { account: string; csrf: string };

/** fetch with a deadline; a timeout or a network failure both mean "no connection". */
async function request(url: string, init: RequestInit): Promise<Response | undefined> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_PATIENCE_MS);
  try {
    return await fetch(url, { ...init, credentials: 'same-origin', redirect: 'manual', cache: 'no-store', signal: controller.signal });
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

const jsonBody = async <T>(response: Response): Promise<Partial<T> | undefined> => {
  try {
    return (await response.json()) as Partial<T>;
  } catch {
    return undefined;
  }
};

/** Who is signed in here and a fresh CSRF token: a page from the cache may carry a stale one. */
async function currentSession(): Promise<Session | Exclude<SyncState, 'done'>> {
  const response = await request(`${ROUTE_PATH}/sync.json`, { headers: { accept: 'application/json' } });
  if (!response) return 'offline';
  // The console answers a missing session with a redirect to sign-in (or to the second factor).
  if (response.type === 'opaqueredirect' || response.status === 401 || response.status === 403) return 'signed_out';
  if (!response.ok) return 'failed';
  const body = await jsonBody<Session>(response);
  return typeof body?.account === 'string' && typeof body.csrf === 'string' ? { account: body.account, csrf: body.csrf } : 'failed';
}

type Delivery = 'stored' | 'offline' | 'signed_out' | 'failed' | 'invalid' | 'not_on_route';

async function deliver(report: QueuedReport, csrf: string): Promise<Delivery> {
  const response = await request(`${ROUTE_PATH}/${encodeURIComponent(report.stopId)}/report.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      _csrf: csrf,
      reportId: report.reportId,
      observed: report.observed,
      problems: report.problems,
      note: report.note || undefined,
      observedAt: report.observedAt,
    }),
  });
  if (!response) return 'offline';
  if (response.type === 'opaqueredirect' || response.status === 403) return 'signed_out';
  const body = await jsonBody<{ ok: boolean; reportId: string; error: string }>(response);
  // Only the server naming this very report counts as stored, and only its own words count as a
  // refusal: a 404 or 422 from a proxy or a half-deployed server is tried again later.
  if (response.ok) return body?.ok === true && body.reportId === report.reportId ? 'stored' : 'failed';
  if (response.status === 404 && body?.ok === false && body.error === 'not_found') return 'not_on_route';
  if (response.status === 422 && body?.ok === false && body.error === 'invalid') return 'invalid';
  return 'failed';
}

async function sendAll(): Promise<SyncResult> {
  const waiting = (await queuedReports()).filter((r) => r.state === 'waiting');
  if (waiting.length === 0) return { state: 'done', sent: 0 };
  const session = await currentSession();
  if (typeof session === 'string') return { state: session, sent: 0 };
  let sent = 0;
  let state: SyncState = 'done';
  for (const report of waiting.sort((a, b) => a.observedAt.localeCompare(b.observedAt))) {
    if (report.owner !== session.account) continue;
    const outcome = await deliver(report, session.csrf);
    if (outcome === 'stored') {
      await forgetReport(report.reportId);
      sent += 1;
    } else if (outcome === 'invalid' || outcome === 'not_on_route') {
      await saveReport({ ...report, state: 'refused', refusal: outcome });
    } else if (outcome === 'failed') {
      // One report the server chokes on must not hold back the others.
      state = 'failed';
    } else {
      return { state: outcome, sent, account: session.account };
    }
  }
  return { state, sent, account: session.account };
}

export async function sendQueued(): Promise<SyncResult> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? await locks.request(LOCK, sendAll) : sendAll();
}
