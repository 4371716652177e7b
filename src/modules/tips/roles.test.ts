import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom, signIn, type SignedIn } from '../../../test/helpers/staff.ts';
import { consoleRoutes } from '../../core/auth/console-route.ts';
import { type Permission, ROLES, type Role, rolesWith } from '../../core/auth/permissions.ts';
import { basicTip, createOfficeKey, postTip } from './testing.ts';

/**
 * Every tip console route, tried by every role: a role holding the route's permission gets
 * through (whatever the outcome of the request itself), every other role gets 403, and an
 * anonymous visitor is sent to sign in. Routes are read from the registry, so a new route
 * cannot escape the matrix.
 */
let t: TestApp;
let tipId: string;
let fileId: string;
const sessions = new Map<Role, SignedIn>();

const tipRoutes = () => consoleRoutes.filter((r) => r.url.startsWith('/console/tips'));
const concrete = (url: string) => url.replace(':id', tipId).replace(':fileId', fileId);

beforeAll(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
  // Every role exists before the tip arrives, so each reader holds a grant to it.
  for (const role of ROLES) sessions.set(role, await signIn(t, await createStaff(t, [role])));
  const res = await postTip(t, basicTip(), [{ filename: 'x.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4\n%%EOF\n') }]);
  expect(res.statusCode).toBe(200);
  tipId = (await t.app.services.db.selectFrom('tips').select('id').executeTakeFirstOrThrow()).id;
  fileId = (await t.app.services.db.selectFrom('tipAttachments').select('id').executeTakeFirstOrThrow()).id;
  // Referred, so the handoff page exists.
  const reviewer = sessions.get('tip_reviewer')!;
  await reviewer.post(`/console/tips/${tipId}/status`, { to: 'in_review' }, `/console/tips/${tipId}`);
  await reviewer.post(`/console/tips/${tipId}/status`, { to: 'referred', referredTo: 'police' }, `/console/tips/${tipId}`);
});
afterAll(async () => t.close());

/** A harmless, valid body for each post. */
function bodyFor(url: string): Record<string, string> {
  if (url.endsWith('/status')) return { to: 'closed', disposition: 'actionable' };
  if (url.endsWith('/assign')) return { assigneeId: '' };
  if (url.endsWith('/tags')) return { tags: 'matrix' };
  if (url.endsWith('/duplicate')) return { duplicateOf: '' };
  if (url.endsWith('/notes')) return { note: 'matrix note' };
  if (url.endsWith('/reply')) return { reply: 'matrix reply' };
  if (url.endsWith('/grant')) return { accountId: 'nobody' };
  if (url.endsWith('/retention')) return { days: '365' };
  if (url.endsWith('/access')) return { accountId: 'nobody', source: 'recovery', recoveryKey: 'x' };
  return {};
}

describe('the tip console role matrix', () => {
  it('covers every tip route', () => {
    const urls = tipRoutes().map((r) => `${r.method} ${r.url}`).sort();
    expect(urls).toEqual(
      [
        'GET /console/tips',
        'GET /console/tips/:id',
        'GET /console/tips/:id/files/:fileId',
        'GET /console/tips/:id/handoff',
        'GET /console/tips/access',
        'GET /console/tips/spam',
        'GET /console/tips/stats',
        'POST /console/tips/:id/assign',
        'POST /console/tips/:id/contact',
        'POST /console/tips/:id/duplicate',
        'POST /console/tips/:id/grant',
        'POST /console/tips/:id/notes',
        'POST /console/tips/:id/reply',
        'POST /console/tips/:id/spam',
        'POST /console/tips/:id/status',
        'POST /console/tips/:id/tags',
        'POST /console/tips/access',
        'POST /console/tips/retention',
        'POST /console/tips/spam',
      ].sort(),
    );
  });

  it('sends anonymous visitors to sign in on every tip route', async () => {
    for (const route of tipRoutes()) {
      const res = await t.app.inject({ method: route.method as 'GET' | 'POST', url: concrete(route.url), payload: route.method === 'POST' ? {} : undefined });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(303);
      expect(String(res.headers.location)).toMatch(/^\/console\/sign-in/);
    }
  });

  it.each(ROLES)('lets %s through exactly the tip routes its permissions allow', async (role) => {
    const session = sessions.get(role)!;
    const page = await session.get('/console/account');
    const csrf = csrfFrom(page.body);
    for (const route of tipRoutes()) {
      const allowed = (rolesWith(route.access as Permission) as readonly string[]).includes(role);
      const url = concrete(route.url);
      const res =
        route.method === 'GET'
          ? await session.get(url)
          : await t.app.inject({ method: 'POST', url, headers: { cookie: session.cookie }, payload: { ...bodyFor(url), _csrf: csrf } });
      const label = `${role} ${route.method} ${route.url}`;
      if (allowed) {
        expect(res.statusCode, label).not.toBe(403);
        expect(res.statusCode, label).toBeLessThan(500);
        if (route.method === 'GET') expect(res.statusCode, label).toBe(200);
      } else {
        expect(res.statusCode, label).toBe(403);
      }
    }
  });
});

it('logged no error while doing all of this', () => {
  expect(t.logs.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
});
