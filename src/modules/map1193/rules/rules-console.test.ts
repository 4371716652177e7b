import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { createStaff, signIn, type SignedIn } from '../../../../test/helpers/staff.ts';
import { rulesOn } from '../rules/service.ts';

// The administrators' side of MAP1193 in the console: the rules (categories, notice,
// penalties) amended from a day on.
let t: TestApp;
let admin: SignedIn;
let inspector: SignedIn;

const db = () => t.app.services.db;

// Imports and rule amendments change what the whole office sees: each test has an app of its
// own, with the rules as released.
beforeEach(async () => {
  t = await createTestApp();
  t.clock.set('2026-06-01T18:00:00Z');
  admin = await signIn(t, await createStaff(t, ['administrator']));
  inspector = await signIn(t, await createStaff(t, ['compliance_inspector']));
});
afterEach(async () => t.close());

describe('the rules in the console', () => {
  const post = (url: string, fields: Record<string, string>) => admin.post(url, fields, url);

  it('lists every version with where it stands, for administrators only', async () => {
    const res = await admin.get('/console/map1193/rules');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('SB 1193');
    expect(res.body).toContain('SB 225');
    expect(res.body).toContain('In force');
    expect(res.body).toContain('Ended');
    expect((await inspector.get('/console/map1193/rules')).statusCode).toBe(403);
    expect((await inspector.post('/console/map1193/rules/penalty', { effectiveFrom: '2027-01-01', bill: 'X' }, '/console/map1193/import')).statusCode).toBe(403);
  });

  it('says an amendment was saved only on the page a saved change leads to (?done=1)', async () => {
    const reader = await signIn(t, await createStaff(t, ['administrator']));
    expect((await reader.get('/console/map1193/rules?done=1')).body).toContain('Amendment saved.');
    for (const query of ['', '?done=0', '?done=1&done=1']) expect((await reader.get(`/console/map1193/rules${query}`)).body, query).not.toContain('Amendment saved.');
  });

  it('starts an amendment from the values in force and applies it only from its day', async () => {
    const form = await admin.get('/console/map1193/rules/penalty');
    expect(form.body).toContain('value="500"');
    expect(form.body).toContain('value="30"');
    const res = await post('/console/map1193/rules/penalty', { effectiveFrom: '2027-01-01', bill: 'AB 77 (2026)', firstOffenceUsd: '750', laterOffenceUsd: '1500', cureDays: '45' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/map1193/rules?done=1');
    const ctx = { db: db() };
    expect((await rulesOn(ctx, '2026-12-31')).penalty).toMatchObject({ firstOffenceUsd: 500, cureDays: 30 });
    expect((await rulesOn(ctx, '2027-01-01')).penalty).toMatchObject({ firstOffenceUsd: 750, laterOffenceUsd: 1500, cureDays: 45, bill: 'AB 77 (2026)' });
    const audit = await db().selectFrom('auditLog').select('targetId').where('action', '=', 'map1193.rule_amend').execute();
    expect(audit).toEqual([{ targetId: 'penalty:penalty:2027-01-01' }]);
  });

  it('keeps the notice text line optional and refuses bad values with the form as typed', async () => {
    const bad = await post('/console/map1193/rules/notice', { effectiveFrom: '2027-03-01', bill: 'AB 78', minWidthIn: 'wide', minHeightIn: '14', minFontPt: '16', languages: ' ', nationalHotline: '1-888-373-7888', textLine: '', castHotline: '1-888-539-2373' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Enter a number in the allowed range.');
    expect(bad.body).toContain('Enter at least one language.');
    expect(bad.body).toContain('value="wide"');
    const good = await post('/console/map1193/rules/notice', { effectiveFrom: '2027-03-01', bill: 'AB 78', minWidthIn: '8.5', minHeightIn: '14', minFontPt: '18', languages: 'English, Spanish, county', nationalHotline: '1-888-373-7888', textLine: '', castHotline: '1-888-539-2373' });
    expect(good.statusCode).toBe(303);
    expect((await rulesOn({ db: db() }, '2027-03-01')).notice).toMatchObject({ minFontPt: 18, textLine: null, languages: ['English', 'Spanish', 'county'] });
  });

  it('refuses a day that does not exist', async () => {
    const res = await post('/console/map1193/rules/penalty', { effectiveFrom: '2027-02-31', bill: 'AB 80', firstOffenceUsd: '1', laterOffenceUsd: '2', cureDays: '3' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="effectiveFrom-error"');
  });

  it('refuses a version that would start before the latest one, naming its day', async () => {
    expect((await post('/console/map1193/rules/penalty', { effectiveFrom: '2027-01-01', bill: 'AB 77 (2026)', firstOffenceUsd: '750', laterOffenceUsd: '1500', cureDays: '45' })).statusCode).toBe(303);
    const res = await post('/console/map1193/rules/penalty', { effectiveFrom: '2026-12-01', bill: 'AB 79', firstOffenceUsd: '1', laterOffenceUsd: '2', cureDays: '3' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('The latest version starts on 2027-01-01');
    expect(res.body).toContain('value="AB 79"');
  });

  it('ends a category from a day on, and covers it again later', async () => {
    const end = await post('/console/map1193/rules/categories/bus_station', { effectiveFrom: '2028-01-01', bill: 'SB 80', covered: 'no', exception: 'none' });
    expect(end.statusCode).toBe(303);
    const ctx = { db: db() };
    expect((await rulesOn(ctx, '2027-12-31')).categories.has('bus_station')).toBe(true);
    expect((await rulesOn(ctx, '2028-01-01')).categories.has('bus_station')).toBe(false);
    // Covering it again inside the planned end would overlap two versions.
    const overlap = await post('/console/map1193/rules/categories/bus_station', { effectiveFrom: '2027-06-01', bill: 'SB 80a', covered: 'yes', exception: 'none' });
    expect(overlap.statusCode).toBe(422);
    expect(overlap.body).toContain('The latest version ended on 2028-01-01');
    // A planned end can still be moved.
    const moved = await post('/console/map1193/rules/categories/bus_station', { effectiveFrom: '2028-06-01', bill: 'SB 81', covered: 'no', exception: 'none' });
    expect(moved.statusCode).toBe(303);
    expect((await rulesOn(ctx, '2028-03-01')).categories.has('bus_station')).toBe(true);
    expect((await admin.get('/console/map1193/rules/categories/bus_station')).body).toMatch(/value="yes"[^>]*checked/);
    const back = await post('/console/map1193/rules/categories/bus_station', { effectiveFrom: '2029-01-01', bill: 'SB 82', covered: 'yes', exception: 'none' });
    expect(back.statusCode).toBe(303);
    expect((await rulesOn(ctx, '2029-01-01')).categories.get('bus_station')).toMatchObject({ bill: 'SB 82', exception: null });
    expect((await rulesOn(ctx, '2028-06-01')).categories.has('bus_station')).toBe(false);
    expect((await admin.get('/console/map1193/rules/categories/bakery')).statusCode).toBe(404);
    // An end already reached is not undone from here: that would rewrite the past.
    t.clock.set('2030-01-02T18:00:00Z');
    const signedIn = await signIn(t, await createStaff(t, ['administrator']));
    await signedIn.post('/console/map1193/rules/categories/adult', { effectiveFrom: '2030-02-01', bill: 'SB 90', covered: 'no', exception: 'none' }, '/console/map1193/rules/categories/adult');
    t.clock.set('2030-03-01T18:00:00Z');
    const later = await signIn(t, await createStaff(t, ['administrator']));
    const undo = await later.post('/console/map1193/rules/categories/adult', { effectiveFrom: '2030-04-01', bill: 'SB 91', covered: 'no', exception: 'none' }, '/console/map1193/rules/categories/adult');
    expect(undo.statusCode).toBe(422);
    expect(undo.body).toContain('No version is in force to end.');
  });
});
