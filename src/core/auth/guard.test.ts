import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom, signIn, type SignedIn } from '../../../test/helpers/staff.ts';

// The guard must hold however the path is spelled: the router decodes percent-escapes before
// matching, so a check on the raw URL would let `/%63onsole/...` past it.
let t: TestApp;
let volunteer: SignedIn;
let coordinator: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  volunteer = await signIn(t, await createStaff(t, ['volunteer']));
  coordinator = await signIn(t, await createStaff(t, ['outreach_coordinator']));
});
afterAll(async () => t.close());

const disguised = ['/%63onsole/audit', '/%63onsole/accounts', '/console/%61udit', '/%63onsole/map1193/inspections', '/%63%6fnsole/map1193/rules', '/console/map1193/photos/report/%61bc'];

describe('the console guard with percent-encoded paths', () => {
  it.each(disguised)('%s asks a visitor to sign in, and is never cached', async (url) => {
    const res = await t.app.inject({ url });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/console\/sign-in/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('still checks the permission of the route reached', async () => {
    for (const url of ['/%63onsole/audit', '/%63onsole/map1193/inspections', '/%63onsole/map1193/rules']) {
      expect((await volunteer.get(url)).statusCode, url).toBe(403);
    }
  });

  it('refuses a disguised post without its CSRF token, on a route the role may use', async () => {
    const post = (payload: Record<string, string>) => t.app.inject({ method: 'POST', url: '/%63onsole/map1193/days', headers: { cookie: coordinator.cookie }, payload });
    // With its token the post reaches the route, whose handler re-renders the incomplete form:
    // the 403 below comes from the missing token, not from the permission.
    const withToken = await post({ title: 'x', _csrf: csrfFrom((await coordinator.get('/console/map1193/days')).body) });
    expect(withToken.statusCode).toBe(422);
    const res = await post({ title: 'x' });
    expect(res.statusCode).toBe(403);
  });
});

describe('the console guard on every way into a console route', () => {
  // Fastify answers HEAD with the GET handler, so the guard must hold for HEAD as for GET.
  it('guards the HEAD route Fastify adds for a console page', async () => {
    const res = await t.app.inject({ method: 'HEAD', url: '/console/audit' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/console\/sign-in/);
    expect((await t.app.inject({ method: 'HEAD', url: '/console/audit', headers: { cookie: volunteer.cookie } })).statusCode).toBe(403);
  });

  it('answers a console path no route matches uncacheable, however it is spelled', async () => {
    for (const url of ['/console/no-such-page', '/%63onsole/no-such-page']) {
      const res = await t.app.inject({ url, headers: { accept: 'application/json' } });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });

  it('guards a console route declared after the app was built, with no access of its own', async () => {
    const late = await createTestApp({ beforeReady: (app) => app.get('/console/__late', async () => 'reached') });
    try {
      const res = await late.app.inject({ url: '/console/__late' });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('reached');
    } finally {
      await late.close();
    }
  });
});
