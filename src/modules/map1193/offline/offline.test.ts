import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { createStaff, signIn, type SignedIn, type TestStaff } from '../../../../test/helpers/staff.ts';
import { businessRow, insertBusinesses } from '../testing.ts';

// What the route's offline island stands on at the server: the worker script, the page for
// stops the device never saved, the session facts a sync starts from, and the pages' hooks.
let t: TestApp;
let volunteer: TestStaff;
let session: SignedIn;
let stopId: string;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-05-02T15:00:00Z');
  await insertBusinesses(t.app.services.db, [businessRow({ name: 'Queue Motel', address: '9 Dock Rd', city: 'Harbor' })]);
  const coordinator = await signIn(t, await createStaff(t, ['outreach_coordinator']));
  volunteer = await createStaff(t, ['volunteer'], { email: 'queue@example.org' });
  const created = await coordinator.post('/console/map1193/days', { day: '2026-05-03', title: 'Harbor walk', cities: 'Harbor', teams: 'Dock: queue@example.org' }, '/console/map1193/days');
  expect(created.statusCode).toBe(303);
  session = await signIn(t, volunteer);
  stopId = /\/console\/map1193\/my-route\/([A-Za-z0-9_-]+)"/.exec((await session.get('/console/map1193/my-route')).body)![1]!;
});
afterAll(async () => t.close());

describe('the route service worker', () => {
  it('is served at a fixed address as a script that may control the console, never cached', async () => {
    const res = await t.app.inject({ url: '/console/map1193/sw.js', headers: { cookie: session.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['service-worker-allowed']).toBe('/console/');
    expect(res.headers['cache-control']).toBe('no-store');
    // The built worker, not a placeholder: it handles fetches and answers its background sync.
    expect(res.body).toContain('"fetch"');
    expect(res.body).toContain('heatwatch-map1193-reports');
  });

  it('is served without a session too, so a phone whose session expired still gets a fixed worker', async () => {
    const res = await t.app.inject({ url: '/console/map1193/sw.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['service-worker-allowed']).toBe('/console/');
  });
});

describe('the sync session endpoint', () => {
  it('names the signed-in account and gives a CSRF token the report endpoint accepts', async () => {
    const res = await t.app.inject({ url: '/console/map1193/my-route/sync.json', headers: { cookie: session.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { account, csrf } = res.json() as { account: string; csrf: string };
    expect(account).toBe(volunteer.account.id);
    const reportId = crypto.randomUUID();
    const sent = await t.app.inject({
      method: 'POST',
      url: `/console/map1193/my-route/${stopId}/report.json`,
      headers: { cookie: session.cookie },
      payload: { _csrf: csrf, reportId, observed: 'posted' },
    });
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toEqual({ ok: true, reportId, created: true });
  });

  it('redirects to sign-in once the session is gone, so a queue waits instead of sending', async () => {
    const res = await t.app.inject({ url: '/console/map1193/my-route/sync.json', headers: { cookie: 'hw_session=gone' } });
    expect(res.statusCode).toBe(303);
  });
});

describe('the route pages', () => {
  it('carry the island, the account the queue belongs to and each stop for the saved-report marks', async () => {
    const list = await session.get('/console/map1193/my-route');
    expect(list.body).toMatch(/<script src="\/assets\/map1193-route-[0-9a-f]{10}\.js" defer>/);
    expect(list.body).toContain(`data-account="${volunteer.account.id}"`);
    expect(list.body).toContain(`data-stop="${stopId}"`);
    expect(list.body).toMatch(/data-route-version="[A-Za-z0-9_-]{22}"/);
    // The panel starts hidden: without JavaScript nothing is kept on the device.
    expect(list.body).toMatch(/<section class="route-offline" data-offline-route="list"[^>]* hidden/);
    const form = await session.get(`/console/map1193/my-route/${stopId}`);
    expect(form.body).toContain('data-offline-route="report"');
    expect(form.body).toContain(`data-stop="${stopId}"`);
    expect(form.body).toContain('Choose whether the notice is posted.');
  });

  it('keep the route version while the plan stays the same, and change it when the plan does', async () => {
    const version = async () => /data-route-version="([^"]+)"/.exec((await session.get('/console/map1193/my-route')).body)![1];
    const before = await version();
    expect(await version()).toBe(before);
    await t.app.services.db.updateTable('mapBusinesses').set({ address: '10 Dock Rd' }).where('name', '=', 'Queue Motel').execute();
    expect(await version()).not.toBe(before);
  });

  it('show the panel with no route left, so reports saved earlier can still be sent', async () => {
    const other = await signIn(t, await createStaff(t, ['volunteer']));
    const list = await other.get('/console/map1193/my-route');
    expect(list.body).toContain('You are not on a team');
    expect(list.body).toContain('data-offline-route="list"');
  });

  it('translate the offline messages, plural forms included', async () => {
    const es = await createStaff(t, ['volunteer'], { email: 'cola@example.org', locale: 'es' });
    const page = await (await signIn(t, es)).get('/console/map1193/my-route/offline');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No guardada en este dispositivo');
    const list = await session.get('/console/map1193/my-route');
    const labels = JSON.parse(/data-labels="([^"]+)"/.exec(list.body)![1]!.replaceAll('&quot;', '"')) as Record<string, string>;
    expect(labels['waiting.one']).toBe('{count} report is saved on this device and waiting to be sent.');
    expect(labels['waiting.other']).toContain('{count} reports');
    expect(labels['observation.missing']).toBe('No, I could not find it');
  });
});
