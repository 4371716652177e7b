import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { createStaff, signIn, type SignedIn } from '../../../../test/helpers/staff.ts';

let t: TestApp;
let admin: SignedIn;
let editor: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signIn(t, await createStaff(t, ['administrator']));
  editor = await signIn(t, await createStaff(t, ['content_editor']));
});
afterAll(async () => t.close());

const page = '/console/mailing/topics';

describe('mailing list topics', () => {
  it('lists the three first topics with their confirmed subscribers', async () => {
    const res = await admin.get(page);
    expect(res.statusCode).toBe(200);
    for (const label of ['News', 'Trainings', 'Events']) expect(res.body).toContain(`>${label}</a>`);
    expect(res.body).toContain('<span lang="es"> · Capacitaciones</span>');
  });

  it('adds a topic that the subscribe form then offers in each language, and retires it', async () => {
    const added = await admin.post(page, { key: 'Youth-Outreach', labelEn: 'Youth outreach', labelEs: 'Alcance juvenil' }, page);
    expect(added.headers.location).toBe(`${page}?notice=created`);
    expect((await t.app.inject({ url: '/subscribe' })).body).toContain('value="youth-outreach"');
    expect((await t.app.inject({ url: '/es/subscribe' })).body).toContain('Alcance juvenil');

    const edit = await admin.get(`${page}/youth-outreach`);
    expect(edit.body).toContain('value="Youth outreach"');
    const retired = await admin.post(`${page}/youth-outreach`, { labelEn: 'Youth outreach', labelEs: '' }, `${page}/youth-outreach`);
    expect(retired.headers.location).toBe(`${page}?notice=updated`);
    expect((await t.app.inject({ url: '/subscribe' })).body).not.toContain('value="youth-outreach"');
    expect((await admin.get(page)).body).toContain('Not offered');
  });

  it('refuses a malformed or taken key and a blank label, with what was typed', async () => {
    const malformed = await admin.post(page, { key: 'no spaces!', labelEn: 'Kept label', labelEs: '' }, page);
    expect(malformed.statusCode).toBe(422);
    expect(malformed.body).toContain('Use lowercase letters, digits and hyphens only.');
    expect(malformed.body).toContain('value="Kept label"');
    const taken = await admin.post(page, { key: 'news', labelEn: 'Again', labelEs: '' }, page);
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('A topic with this key already exists.');
    const blank = await admin.post(`${page}/news`, { labelEn: ' ', labelEs: '', active: 'on' }, `${page}/news`);
    expect(blank.statusCode).toBe(422);
    expect((await admin.get(`${page}/no-such-topic`)).statusCode).toBe(404);
  });

  it('is closed to roles without mailing.topics', async () => {
    expect((await editor.get(page)).statusCode).toBe(403);
    const res = await editor.post(page, { key: 'sneaky', labelEn: 'Sneaky', labelEs: '' });
    expect(res.statusCode).toBe(403);
    expect((await t.app.inject({ url: '/subscribe' })).body).not.toContain('sneaky');
  });
});
