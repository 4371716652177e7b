// Sends the queued route reports. Run by the page (on load, when the connection returns, on
// "Send now") and by the service worker's background sync; a Web Lock keeps two of them from
// sending at once, and the server's idempotency by report id covers whatever slips past it
// (a browser without locks, a response lost after the server stored the report).
import { forgetReport, type QueuedReport, queuedReports, saveReport } from './queue.ts';

export const ROUTE_PATH = '/console/map1193/my-route';
/** Shown by the service worker for a route page it has no copy of. */
export const OFFLINE_PATH = `${ROUTE_PATH}/offline`;
export const SYNC_TAG = 'heatwatch-map1193-reports';
const LOCK = 'heatwatch-map1193-sync';

/** How a sync ended: every report sent or refused, no connection, no live session, or a server error. */
export type SyncState = 'done' | 'offline' | 'signed_out' | 'failed';
export type SyncResult = { state: SyncState; sent: number };

type Session = { account: string; csrf: string };

const jsonRequest = { credentials: 'same-origin', redirect: 'manual', cache: 'no-store' } as const;

/** Who is signed in here and a fresh CSRF token: a page from the cache may carry a stale one. */
async function currentSession(): Promise<Session | Exclude<SyncState, 'done'>> {
  let response: Response;
  try {
    response = await fetch(`${ROUTE_PATH}/sync.json`, { ...jsonRequest, headers: { accept: 'application/json' } });
  } catch {
    return 'offline';
  }
  // The console answers a missing session with a redirect to sign-in (or to the second factor).
  if (response.type === 'opaqueredirect' || response.status === 401 || response.status === 403) return 'signed_out';
  if (!response.ok) return 'failed';
  try {
    const body = (await response.json()) as Partial<Session>;
    return typeof body.account === 'string' && typeof body.csrf === 'string' ? { account: body.account, csrf: body.csrf } : 'failed';
  } catch {
    return 'failed';
  }
}

type Delivery = 'stored' | 'offline' | 'signed_out' | 'failed' | 'invalid' | 'not_on_route';

async function deliver(report: QueuedReport, csrf: string): Promise<Delivery> {
  let response: Response;
  try {
    response = await fetch(`${ROUTE_PATH}/${encodeURIComponent(report.stopId)}/report.json`, {
      ...jsonRequest,
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
  } catch {
    return 'offline';
  }
  if (response.status === 404) return 'not_on_route';
  if (response.status === 422) return 'invalid';
  if (response.type === 'opaqueredirect' || response.status === 403) return 'signed_out';
  if (!response.ok) return 'failed';
  try {
    // Only the server naming this very report counts as stored; anything else is tried again.
    const body = (await response.json()) as { ok?: boolean; reportId?: string };
    return body.ok === true && body.reportId === report.reportId ? 'stored' : 'failed';
  } catch {
    return 'failed';
  }
}

async function sendAll(): Promise<SyncResult> {
  const waiting = (await queuedReports()).filter((r) => r.state === 'waiting');
  if (waiting.length === 0) return { state: 'done', sent: 0 };
  const session = await currentSession();
  if (typeof session === 'string') return { state: session, sent: 0 };
  let sent = 0;
  for (const report of waiting.sort((a, b) => a.observedAt.localeCompare(b.observedAt))) {
    if (report.owner !== session.account) continue;
    const outcome = await deliver(report, session.csrf);
    if (outcome === 'stored') {
      await forgetReport(report.reportId);
      sent += 1;
    } else if (outcome === 'invalid' || outcome === 'not_on_route') {
      await saveReport({ ...report, state: 'refused', refusal: outcome });
    } else {
      return { state: outcome, sent };
    }
  }
  return { state: 'done', sent };
}

export async function sendQueued(): Promise<SyncResult> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? await locks.request(LOCK, sendAll) : sendAll();
}
