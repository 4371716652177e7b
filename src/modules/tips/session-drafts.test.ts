import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { cookieFrom, createStaff, csrfFrom, signIn, type TestStaff } from '../../../test/helpers/staff.ts';
import { DRAFT_TTL_MS } from '../../core/auth/drafts.ts';
import { IDLE_TIMEOUT_MS } from '../../core/auth/sessions.ts';
import { basicTip, createOfficeKey, postTipForId } from './testing.ts';

/**
 * A long note typed while the session timed out is not lost: the platform keeps the form
 * (sealed, for fifteen minutes, bound to the browser by a one-time cookie) and gives it back,
 * unsent, to the same person after they sign in again.
 */
let t: TestApp;
let reviewer: TestStaff;
let tipId: string;
const db = () => t.app.services.db;
/** A form as a browser sends it (URL-encoded), which is what the platform keeps. */
const form = (fields: Record<string, string>) => ({ payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const post = (url: string, cookie: string, fields: Record<string, string>) => {
  const f = form(fields);
  return t.app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, cookie } });
};

beforeAll(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
  reviewer = await createStaff(t, ['tip_reviewer'], { name: 'Rosa Reviewer' });
  tipId = await postTipForId(t, basicTip());
});
afterAll(async () => t.close());

const NOTE = 'Called the shelter twice.\nThey will call back tomorrow morning about the two workers.';

/** Opens the tip page, lets the session go idle past its timeout, then sends the note. */
async function noteAfterTimeout(note = NOTE) {
  const session = await signIn(t, reviewer);
  const page = await session.get(`/console/tips/${tipId}`);
  expect(page.statusCode).toBe(200);
  t.clock.advance(IDLE_TIMEOUT_MS + 60_000);
  const res = await post(`/console/tips/${tipId}/notes`, session.cookie, { note, _csrf: csrfFrom(page.body) });
  return { res, draft: cookieFrom(res.headers['set-cookie']) };
}

const restore = (cookie: string, draft: string) => t.app.inject({ url: '/console/restore', headers: { cookie: `${cookie}; ${draft}` } });
const notesOf = () => db().selectFrom('tipNotes').select('id').where('tipId', '=', tipId).execute();
const drafts = () => db().selectFrom('sessionDrafts').selectAll().execute();

describe('a form sent on a lapsed session', () => {
  it('comes back after sign-in, filled and unsent, and is sent only when the person presses Send', async () => {
    const before = (await notesOf()).length;
    const { res, draft } = await noteAfterTimeout();
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/sign-in?next=%2Fconsole%2Frestore&notice=kept');
    expect(draft).toMatch(/^hw_draft=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Lax; Max-Age=900/);
    const signInPage = await t.app.inject({ url: res.headers.location as string });
    expect(signInPage.body).toContain('what you typed comes back');

    const again = await signIn(t, reviewer);
    const page = await restore(again.cookie, draft);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`action="/console/tips/${tipId}/notes"`);
    expect(page.body).toContain('Called the shelter twice.\nThey will call back tomorrow morning');
    // Clears its cookie, and nothing was replayed: the note is not saved until Send.
    expect(String(page.headers['set-cookie'])).toMatch(/^hw_draft=; .*Max-Age=0/);
    expect(await notesOf()).toHaveLength(before);

    const sent = await post(`/console/tips/${tipId}/notes`, again.cookie, { note: NOTE, _csrf: csrfFrom(page.body) });
    expect(sent.headers.location).toBe(`/console/tips/${tipId}?done=note`);
    expect(await notesOf()).toHaveLength(before + 1);
  });

  it('is stored only as ciphertext, without the token, and its key is in the cookie alone', async () => {
    const { draft } = await noteAfterTimeout('A visit record with the name Maria Example and 555-0142.');
    const key = draft.split('.')[1]!;
    const rows = await drafts();
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows);
    for (const clear of ['Maria Example', '555-0142', 'visit record', '_csrf', `/console/tips/${tipId}`, key]) expect(stored).not.toContain(clear);
    expect(Buffer.from(rows[0]!.box, 'base64').toString('latin1')).not.toContain('Maria');
    expect(rows[0]!.accountId).toBe(reviewer.account.id);
    expect(Date.parse(rows[0]!.expiresAt) - Date.parse(rows[0]!.createdAt)).toBe(DRAFT_TTL_MS);
    // Consumed here so the next test starts with no row.
    await restore((await signIn(t, reviewer)).cookie, draft);
    expect(await drafts()).toHaveLength(0);
  });

  it('works once: the cookie brings nothing a second time', async () => {
    const { draft } = await noteAfterTimeout();
    const again = await signIn(t, reviewer);
    expect((await restore(again.cookie, draft)).body).toContain('Called the shelter twice.');
    const second = await restore(again.cookie, draft);
    expect(second.statusCode).toBe(200);
    expect(second.body).not.toContain('Called the shelter twice.');
    expect(second.body).toContain('There is nothing to bring back');
  });

  it('is gone after fifteen minutes', async () => {
    const { draft } = await noteAfterTimeout();
    t.clock.advance(DRAFT_TTL_MS);
    const again = await signIn(t, reviewer);
    const page = await restore(again.cookie, draft);
    expect(page.body).not.toContain('Called the shelter twice.');
    expect(page.body).toContain('There is nothing to bring back');
    expect(await drafts()).toHaveLength(0);
  });

  it('gives another account signing in on that browser nothing, and wipes the row', async () => {
    const { draft } = await noteAfterTimeout();
    expect(await drafts()).toHaveLength(1);
    const other = await signIn(t, await createStaff(t, ['tip_reviewer'], { name: 'Otto Other' }));
    const page = await restore(other.cookie, draft);
    expect(page.body).not.toContain('Called the shelter twice.');
    expect(page.body).toContain('There is nothing to bring back');
    expect(await drafts()).toHaveLength(0);
    // The owner cannot get it back afterwards either: it is wiped, not set aside.
    expect((await restore((await signIn(t, reviewer)).cookie, draft)).body).not.toContain('Called the shelter twice.');
  });

  it('keeps nothing without the dead session’s CSRF token, or when nothing was typed', async () => {
    const session = await signIn(t, reviewer);
    await session.get(`/console/tips/${tipId}`);
    t.clock.advance(IDLE_TIMEOUT_MS + 60_000);
    const forged = await post(`/console/tips/${tipId}/notes`, session.cookie, { note: NOTE, _csrf: 'not-the-token' });
    expect(forged.statusCode).toBe(303);
    expect(forged.headers.location).toBe('/console/sign-in');
    expect(forged.headers['set-cookie']).toBeUndefined();

    const fresh = await signIn(t, reviewer);
    const tipPage = await fresh.get(`/console/tips/${tipId}`);
    t.clock.advance(IDLE_TIMEOUT_MS + 60_000);
    const button = await post(`/console/tips/${tipId}/status`, fresh.cookie, { status: 'closed', _csrf: csrfFrom(tipPage.body) });
    expect(button.headers.location).toBe('/console/sign-in');
    expect(await drafts()).toHaveLength(0);
  });
});

describe('the idle-timeout warning', () => {
  it('is on every signed-in console page, with the seconds left, for the island to show', async () => {
    const session = await signIn(t, reviewer);
    const page = await session.get('/console/account');
    expect(page.body).toMatch(/<div class="notice session-timeout" hidden data-session-timeout="true" data-left-seconds="1\d{3}"/);
    expect(page.body).toContain('data-keep-alive="/console/session/keep-alive"');
    expect(page.body).toMatch(/<script src="\/assets\/session-timeout-[0-9a-f]{10}\.js" defer>/);
    expect(page.body).toContain('Stay signed in');
  });

  it('keeps the session alive when the button posts to the keep-alive route, and only with its token', async () => {
    const session = await signIn(t, reviewer);
    const page = await session.get('/console/account');
    t.clock.advance(IDLE_TIMEOUT_MS - 90_000);
    const refused = await t.app.inject({ method: 'POST', url: '/console/session/keep-alive', headers: { cookie: session.cookie }, payload: { _csrf: 'wrong' } });
    expect(refused.statusCode).toBe(403);
    const kept = await t.app.inject({ method: 'POST', url: '/console/session/keep-alive', headers: { cookie: session.cookie }, payload: { _csrf: csrfFrom(page.body) } });
    expect(kept.statusCode).toBe(200);
    expect(JSON.parse(kept.body)).toMatchObject({ idleSeconds: 1800 });
    t.clock.advance(IDLE_TIMEOUT_MS - 90_000);
    expect((await session.get('/console/account')).statusCode).toBe(200);
    t.clock.advance(IDLE_TIMEOUT_MS + 1000);
    expect((await session.get('/console/account')).statusCode).toBe(303);
  });
});
