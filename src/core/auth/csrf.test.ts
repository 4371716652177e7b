import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom, signIn, type SignedIn, type TestStaff } from '../../../test/helpers/staff.ts';
import { consoleRoutes } from './console-route.ts';
import { permissionsFor, type Role } from './permissions.ts';
import { maskCsrf } from './csrf.ts';

/**
 * The CSRF check of the console guard. Every refused post goes to a route the signed-in role may
 * use, and the same post with the session's own token succeeds: the 403 comes from the token,
 * not from the permission check behind it.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const db = () => t.app.services.db;
const tokenOf = async (session: SignedIn, page: string) => csrfFrom((await session.get(page)).body);

type Post = { url: string; fields: Record<string, string>; headers?: Record<string, string> };
type Tokens = { own: string; otherSession: string; otherAccount: string; signInForm: string };

/** The ways a post can arrive without its session's token in its form, given a well-formed one. */
const refusals: [string, (route: Post, tokens: Tokens) => Post][] = [
  ['no token', (r) => r],
  ['a made-up token of the right shape', (r) => ({ ...r, fields: { ...r.fields, _csrf: maskCsrf(randomBytes(32).toString('base64url')) } })],
  ['its own token with one character changed', (r, k) => ({ ...r, fields: { ...r.fields, _csrf: (k.own[0] === 'A' ? 'B' : 'A') + k.own.slice(1) } })],
  ['the token of another session of the same account', (r, k) => ({ ...r, fields: { ...r.fields, _csrf: k.otherSession } })],
  ['the token of another account', (r, k) => ({ ...r, fields: { ...r.fields, _csrf: k.otherAccount } })],
  ['the signed token of the anonymous sign-in form', (r, k) => ({ ...r, fields: { ...r.fields, _csrf: k.signInForm } })],
  ['its own token in the query string instead of the form', (r, k) => ({ ...r, url: `${r.url}?_csrf=${encodeURIComponent(k.own)}` })],
  ['its own token, from a page of another site (Origin)', (r, k) => ({ ...r, fields: { ...r.fields, _csrf: k.own }, headers: { origin: 'https://evil.example' } })],
  ['its own token, from a page of another site (Sec-Fetch-Site)', (r, k) => ({ ...r, fields: { ...r.fields, _csrf: k.own }, headers: { 'sec-fetch-site': 'cross-site' } })],
];

const send = (cookie: string, post: Post) => t.app.inject({ method: 'POST', url: post.url, headers: { cookie, ...post.headers }, payload: post.fields });

/** A route to post to, the role that may, and how to tell whether the post did anything. */
type Case = {
  route: string;
  role: Role;
  /** The post, from `actor`, whose effect `changed` observes. */
  arrange(actor: TestStaff): Promise<{ post: Post; changed(): Promise<boolean> }>;
};

const cases: Case[] = [
  {
    route: '/console/account/sessions/sign-out-everywhere',
    role: 'tip_reviewer',
    async arrange(actor) {
      const other = await signIn(t, actor);
      return { post: { url: '/console/account/sessions/sign-out-everywhere', fields: {} }, changed: async () => (await other.get('/console')).statusCode !== 200 };
    },
  },
  {
    route: '/console/accounts/:id/status',
    role: 'administrator',
    async arrange() {
      const target = await createStaff(t, ['volunteer']);
      const status = async () => (await db().selectFrom('accounts').select('status').where('id', '=', target.account.id).executeTakeFirstOrThrow()).status;
      return { post: { url: `/console/accounts/${target.account.id}/status`, fields: { active: 'no' } }, changed: async () => (await status()) !== 'active' };
    },
  },
];

describe.each(cases)('posting to $route as $role', ({ route, role, arrange }) => {
  it('is a route the role may use: the declared permission is one the role holds', () => {
    const declared = consoleRoutes.find((r) => r.method === 'POST' && r.url === route);
    expect(declared).toBeDefined();
    expect([...permissionsFor([role])]).toContain(declared!.access);
  });

  it("succeeds with the session's own token", async () => {
    const actor = await createStaff(t, [role]);
    const session = await signIn(t, actor);
    const { post, changed } = await arrange(actor);
    expect(await changed()).toBe(false);
    const res = await send(session.cookie, { ...post, fields: { ...post.fields, _csrf: await tokenOf(session, '/console/account') } });
    expect(res.statusCode).toBe(303);
    expect(await changed()).toBe(true);
  });

  describe('refuses, with 403 and no effect,', () => {
    let session: SignedIn;
    let tokens: Tokens;
    let post: Post;
    let changed: () => Promise<boolean>;

    beforeAll(async () => {
      const actor = await createStaff(t, [role]);
      session = await signIn(t, actor);
      const sameAccount = await signIn(t, actor);
      const otherAccount = await signIn(t, await createStaff(t, [role]));
      ({ post, changed } = await arrange(actor));
      tokens = {
        own: await tokenOf(session, '/console/account'),
        otherSession: await tokenOf(sameAccount, '/console/account'),
        otherAccount: await tokenOf(otherAccount, '/console/account'),
        signInForm: csrfFrom((await t.app.inject({ url: '/console/sign-in' })).body),
      };
    });

    it.each(refusals)('%s', async (_name, variant) => {
      const res = await send(session.cookie, variant(post, tokens));
      expect(res.statusCode).toBe(403);
      // The refusal names the stale form, not a missing permission: the 403 comes from the token.
      expect(res.body).toContain('This form has expired');
      expect(res.body).not.toContain('Not allowed');
      expect(await changed()).toBe(false);
      // The refusal costs the session nothing: it still works.
      expect((await session.get('/console')).statusCode).toBe(200);
    });
  });
});
