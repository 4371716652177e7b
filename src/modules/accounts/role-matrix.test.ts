import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { cookieFrom, createStaff, csrfFrom, signIn, type SignedIn, type TestStaff } from '../../../test/helpers/staff.ts';
import { consoleRoutes } from '../../core/auth/console-route.ts';
import { type Permission, permissionGrants, permissionsFor, ROLES, type Role, type RouteAccess } from '../../core/auth/permissions.ts';

/**
 * Walks every console route registered at run time with every role. A route without a declared
 * permission, or one that lets in a role the expected table below does not list, fails here.
 */

/**
 * What each role may do, written out by hand. It is deliberately not derived from the permission registry:
 * granting a role one more permission in the code must fail here until this table says so too.
 */
const EXPECTED: Record<Role, readonly Permission[]> = {
  administrator: [
    'console.use',
    'accounts.manage',
    'audit.read',
    'settings.manage',
    'outbox.read',
    'content.edit',
    'news.publish',
    'tips.grant',
    'tips.spam',
    'tips.stats',
    'map.report',
    'map.coordinate',
    'map.dashboard',
    'map.manage',
    'map.rules',
    'map.data_quality',
    'mailing.topics',
    'events.requests',
    'events.manage',
  ],
  tip_reviewer: ['console.use', 'tips.read', 'tips.triage', 'tips.identity', 'tips.grant', 'tips.stats'],
  investigator: ['console.use', 'tips.read', 'tips.stats'],
  compliance_inspector: ['console.use', 'map.report', 'map.inspect', 'map.dashboard', 'map.manage', 'map.data_quality'],
  outreach_coordinator: ['console.use', 'map.report', 'map.coordinate', 'map.dashboard', 'mailing.topics', 'events.requests', 'events.manage'],
  content_editor: ['console.use', 'content.edit', 'news.publish'],
  volunteer: ['console.use', 'map.report'],
};
const EXPECTED_ROLES = Object.keys(EXPECTED) as Role[];

type Route = { method: string; url: string };

/** Every GET and POST route of the app, read back from Fastify's own route tree. */
function registeredRoutes(tree: string): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (.+?)(?: \(([^)]*)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    const url = stack.join('');
    for (const method of (m[3] ?? '').split(',').map((x) => x.trim())) {
      if (method === 'GET' || method === 'POST') routes.push({ method, url });
    }
  }
  return routes;
}

const allows = (access: RouteAccess, role: Role) =>
  access === 'anonymous' || access === 'second_factor' || EXPECTED[role].includes(access);

const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, 'no-such-id');
const key = (r: Route) => `${r.method} ${r.url}`;
/** The guard's answer to a request without a session: GETs keep where they were going. */
const toSignIn = (location: unknown) => location === '/console/sign-in' || String(location ?? '').startsWith('/console/sign-in?next=');

let t: TestApp;
let routes: (Route & { access: RouteAccess })[];
let formToken: string;

beforeAll(async () => {
  t = await createTestApp();
  // Routes registered later by a module (in a plugin scope) are in the tree only once ready.
  const tree = t.app.printRoutes({ commonPrefix: false });
  const onConsole = registeredRoutes(tree).filter((r) => r.url === '/console' || r.url.startsWith('/console/'));
  routes = onConsole.map((r) => ({ ...r, access: consoleRoutes.find((c) => c.method === r.method && c.url === r.url)?.access as RouteAccess }));
  // Anonymous console forms carry the signed form token every anonymous page issues.
  formToken = csrfFrom((await t.app.inject({ url: '/console/sign-in' })).body);
});
afterAll(async () => t.close());

describe('console route declarations', () => {
  it('finds the console routes in the route tree (the parser still reads Fastify)', () => {
    expect(routes.length).toBeGreaterThan(20);
    for (const r of routes) expect(t.app.hasRoute({ method: r.method as 'GET', url: r.url }), key(r)).toBe(true);
    expect(routes.map(key)).toEqual(expect.arrayContaining(['GET /console', 'GET /console/audit', 'GET /console/audit.csv', 'GET /console/accounts/:id', 'POST /console/settings']));
  });

  it('every route under /console is registered through consoleRoute with an access declaration', () => {
    const undeclared = routes.filter((r) => r.access === undefined).map(key);
    expect(undeclared).toEqual([]);
    const known = new Set<string>([...permissionGrants().keys(), 'anonymous', 'second_factor']);
    expect(routes.filter((r) => !known.has(r.access)).map(key)).toEqual([]);
  });

  it('guards the administrative pages with the permissions the issue names', () => {
    const expected: [RegExp, RouteAccess][] = [
      [/^\/console\/audit/, 'audit.read'],
      [/^\/console\/outbox/, 'outbox.read'],
      [/^\/console\/settings/, 'settings.manage'],
      [/^\/console\/accounts/, 'accounts.manage'],
      // The platform's lapsed-session routes: any signed-in staff member, for their own draft and session.
      [/^\/console\/restore$/, 'console.use'],
      [/^\/console\/session\/keep-alive$/, 'console.use'],
    ];
    const wrong = routes.flatMap((r) => expected.filter(([pattern, access]) => pattern.test(r.url) && r.access !== access).map(([, access]) => `${key(r)} declares ${r.access}, not ${access}`));
    expect(wrong).toEqual([]);
  });

  it('every declared console route is really registered', () => {
    const registered = new Set(routes.map(key));
    expect(consoleRoutes.filter((r) => !registered.has(key(r))).map(key)).toEqual([]);
  });

  it('sends an anonymous visitor of every non-anonymous console route to sign-in', async () => {
    const wrong: string[] = [];
    for (const r of routes.filter((x) => x.access !== 'anonymous')) {
      const res = await t.app.inject({ method: r.method as 'GET', url: concrete(r.url), ...(r.method === 'POST' ? { payload: { _csrf: formToken } } : {}) });
      const location = String(res.headers.location ?? '');
      if (res.statusCode !== 303 || !toSignIn(location)) wrong.push(`${key(r)} → ${res.statusCode} ${location}`);
    }
    expect(wrong).toEqual([]);
  });

  it('lets an anonymous visitor reach every anonymous console route', async () => {
    const wrong: string[] = [];
    for (const r of routes.filter((x) => x.access === 'anonymous')) {
      const res = await t.app.inject({ method: r.method as 'GET', url: concrete(r.url), ...(r.method === 'POST' ? { payload: { _csrf: formToken, garbage: 'x' } } : {}) });
      if (res.statusCode === 403 || res.statusCode >= 500 || toSignIn(res.headers.location)) wrong.push(`${key(r)} → ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('a password-only session (second factor not yet enrolled)', () => {
  it('reaches every second_factor route and no other non-anonymous one', async () => {
    const staff = await createStaff(t, ['volunteer']);
    await t.app.services.db.updateTable('accounts').set({ totpSecretBox: null, totpEnabledAt: null }).where('id', '=', staff.account.id).execute();
    const login = async () => {
      const first = await t.app.inject({ method: 'POST', url: '/console/sign-in', remoteAddress: '192.0.2.10', payload: { email: staff.account.email, password: staff.password, _csrf: formToken } });
      expect(first.statusCode).toBe(303);
      const cookie = cookieFrom(first.headers['set-cookie']);
      expect(first.headers.location).toBe('/console/account/two-factor/setup');
      return { cookie, csrf: csrfFrom((await t.app.inject({ url: '/console/account/two-factor/setup', headers: { cookie } })).body) };
    };
    let { cookie, csrf } = await login();
    const wrong: string[] = [];
    for (const r of routes.filter((x) => x.access !== 'anonymous').sort((a, b) => Number(endsSession(a.url)) - Number(endsSession(b.url)))) {
      const res = await t.app.inject({ method: r.method as 'GET', url: concrete(r.url), headers: { cookie }, ...(r.method === 'POST' ? { payload: { _csrf: csrf, garbage: 'x' } } : {}) });
      const location = String(res.headers.location ?? '');
      if (r.access === 'second_factor') {
        if (res.statusCode === 403 || res.statusCode >= 500 || toSignIn(location)) wrong.push(`${key(r)} should be reachable, got ${res.statusCode} ${location}`);
      } else if (res.statusCode !== 303 || !location.startsWith('/console/sign-in/second-factor')) {
        wrong.push(`${key(r)} should wait for the second factor, got ${res.statusCode} ${location}`);
      }
      if ((await t.app.inject({ url: '/console/account/two-factor/setup', headers: { cookie } })).statusCode !== 200) ({ cookie, csrf } = await login());
    }
    expect(wrong).toEqual([]);
  });
});

// Routes that may end the session they are called with go last; a lost session is replaced.
const endsSession = (url: string) => /sign-out|revoke|reset|password|second-factor/.test(url);

describe('the permission table', () => {
  it('has exactly the roles the expected table lists', () => {
    expect([...ROLES].sort()).toEqual([...EXPECTED_ROLES].sort());
  });

  // A permission no role holds would guard routes nobody can reach: it fails here too.
  it('has exactly the permissions the expected table grants', () => {
    expect([...permissionGrants().keys()].sort()).toEqual([...new Set(Object.values(EXPECTED).flat())].sort());
  });

  it.each(EXPECTED_ROLES)('grants %s exactly its expected permissions', (role) => {
    expect([...permissionsFor([role])].sort()).toEqual([...EXPECTED[role]].sort());
  });

  it('grants several roles the union of theirs, and nothing to no role or an unknown one', () => {
    expect([...permissionsFor(['volunteer', 'content_editor'])].sort()).toEqual([...new Set([...EXPECTED.volunteer, ...EXPECTED.content_editor])].sort());
    expect([...permissionsFor([])]).toEqual([]);
    expect([...permissionsFor(['superuser', 'Administrator'])]).toEqual([]);
  });
});

describe.each(EXPECTED_ROLES.map((role) => [role]))('role %s', (role) => {
  let staff: TestStaff;
  let session: SignedIn;
  let csrf: string;

  const renew = async () => {
    session = await signIn(t, staff);
    csrf = csrfFrom((await session.get('/console/account')).body);
  };

  beforeAll(async () => {
    staff = await createStaff(t, [role], { name: `Matrix ${role}` });
    await renew();
  });

  it('is allowed exactly the routes its permissions grant (403 otherwise)', async () => {
    const ordered = [...routes].sort((a, b) => Number(a.method === 'POST') - Number(b.method === 'POST') || Number(endsSession(a.url)) - Number(endsSession(b.url)));
    const wrong: string[] = [];
    for (const r of ordered) {
      const url = concrete(r.url);
      const res =
        r.method === 'GET'
          ? await session.get(url)
          : await t.app.inject({ method: 'POST', url, headers: { cookie: session.cookie }, payload: { _csrf: r.access === 'anonymous' ? formToken : csrf, garbage: 'x' } });
      const allowed = allows(r.access, role);
      if (r.access === 'second_factor') {
        // Passed by the guard; a handler may still refuse what this state does not need (enrolling
        // a second factor on an account that has one): those routes are walked in the state they
        // exist for, a password-only session, below.
        if (res.statusCode >= 500 || toSignIn(res.headers.location)) wrong.push(`${key(r)} should be reachable, got ${res.statusCode}`);
      } else if (allowed && (res.statusCode === 403 || res.statusCode >= 500)) wrong.push(`${key(r)} should be allowed, got ${res.statusCode}`);
      if (!allowed && res.statusCode !== 403) wrong.push(`${key(r)} should be forbidden, got ${res.statusCode}`);
      if (r.method === 'POST' && (await session.get('/console')).statusCode !== 200) await renew();
    }
    expect(wrong).toEqual([]);
  });
});
