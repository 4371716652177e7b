import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom, signIn, type TestStaff } from '../../../test/helpers/staff.ts';

/**
 * A session is only as good as its account is now. Changes made straight in the database, past
 * every service (an operator's SQL, a restored backup, another process), must hold from the very
 * next request: nothing about the account is trusted from when the session began.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const db = () => t.app.services.db;
const sessionsOf = async (staff: TestStaff) => db().selectFrom('sessions').select('idHash').where('accountId', '=', staff.account.id).execute();
const auditedFor = async (staff: TestStaff, action: string) => db().selectFrom('auditLog').select('seq').where('action', '=', action).where('targetId', '=', staff.account.id).execute();

describe('an account deactivated in the database', () => {
  it('loses its sessions on their next request: sent to sign-in, the rows deleted, a post not carried out', async () => {
    const staff = await createStaff(t, ['volunteer']);
    const browsing = await signIn(t, staff);
    const posting = await signIn(t, staff);
    const token = csrfFrom((await posting.get('/console/account')).body);
    expect((await browsing.get('/console')).statusCode).toBe(200);
    expect(await sessionsOf(staff)).toHaveLength(2);

    await db().updateTable('accounts').set({ status: 'deactivated' }).where('id', '=', staff.account.id).execute();

    const page = await browsing.get('/console/account');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/console/sign-in?next=%2Fconsole%2Faccount');
    const post = await t.app.inject({ method: 'POST', url: '/console/account/sessions/sign-out-everywhere', headers: { cookie: posting.cookie }, payload: { _csrf: token } });
    expect(post.statusCode).toBe(303);
    expect(post.headers.location).toBe('/console/sign-in');
    expect(await auditedFor(staff, 'auth.signed_out_everywhere')).toEqual([]);
    expect(await sessionsOf(staff)).toEqual([]);

    // Turning the account back on does not bring the ended sessions back.
    await db().updateTable('accounts').set({ status: 'active' }).where('id', '=', staff.account.id).execute();
    expect((await browsing.get('/console')).statusCode).toBe(303);
    expect((await posting.get('/console')).statusCode).toBe(303);
  });
});

describe('roles removed in the database', () => {
  it('take their permissions with them on the next request', async () => {
    const staff = await createStaff(t, ['administrator', 'volunteer']);
    const session = await signIn(t, staff);
    expect((await session.get('/console/audit')).statusCode).toBe(200);
    expect((await session.get('/console/map1193/my-route')).statusCode).toBe(200);

    await db().deleteFrom('accountRoles').where('accountId', '=', staff.account.id).where('role', '=', 'administrator').execute();
    expect((await session.get('/console/audit')).statusCode).toBe(403);
    const token = csrfFrom((await session.get('/console/account')).body);
    const settings = await t.app.inject({ method: 'POST', url: '/console/settings', headers: { cookie: session.cookie }, payload: { _csrf: token } });
    expect(settings.statusCode).toBe(403);
    // What the remaining role grants still works.
    expect((await session.get('/console/map1193/my-route')).statusCode).toBe(200);

    await db().deleteFrom('accountRoles').where('accountId', '=', staff.account.id).execute();
    // With no role left, not even the console home.
    expect((await session.get('/console')).statusCode).toBe(403);
    expect((await session.get('/console/map1193/my-route')).statusCode).toBe(403);
  });
});
