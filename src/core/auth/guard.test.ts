import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, signIn, type SignedIn } from '../../../test/helpers/staff.ts';

// The guard must hold however the path is spelled: the router decodes percent-escapes before
// matching, so a check on the raw URL would let `/%63onsole/...` past it.
let t: TestApp;
let volunteer: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  volunteer = await signIn(t, await createStaff(t, ['volunteer']));
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

  it('refuses a disguised post without its CSRF token', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/%63onsole/map1193/days', headers: { cookie: volunteer.cookie }, payload: { title: 'x' } });
    expect([403]).toContain(res.statusCode);
  });
});
