import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom, signIn, type SignedIn, type TestStaff } from '../../../test/helpers/staff.ts';
import { buildApp } from '../../app.ts';
import { verifyAuditChain } from '../../core/audit/audit.ts';
import { basicTip, createOfficeKey, postTip } from './testing.ts';

let t: TestApp;
let reviewer: TestStaff;
let session: SignedIn;
const ids: Record<string, string> = {};

const db = () => t.app.services.db;
const idOf = async (_label: string) => {
  const rows = await db().selectFrom('tips').select('id').execute();
  return rows.map((r: { id: string }) => r.id).find((id: string) => !Object.values(ids).includes(id))!;
};

beforeAll(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
  reviewer = await createStaff(t, ['tip_reviewer'], { name: 'Rosa Reviewer' });
  t.clock.set('2026-02-02T08:10:00Z');
  await postTip(t, basicTip({ whatHappened: 'old labour tip', kind: 'labour' }));
  ids.old = await idOf('old');
  t.clock.set('2026-02-03T09:10:00Z');
  await postTip(t, basicTip({ whatHappened: 'urgent older tip', kind: 'sex', danger: 'yes', minor: 'yes' }));
  ids.urgent = await idOf('urgent');
  t.clock.set('2026-02-04T10:10:00Z');
  const photo = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#0000ff' } }).jpeg().toBuffer();
  await postTip(t, basicTip({ whatHappened: 'newest tip in Spanish', kind: 'unsure', contactMode: 'details', contactDetails: 'Ana, 555-0100, evenings' }), [{ filename: 'van.jpg', type: 'image/jpeg', data: photo }], { locale: '/es' });
  ids.newest = await idOf('newest');
  session = await signIn(t, reviewer);
});
afterAll(async () => t.close());

describe('the queue', () => {
  it('lists urgent tips first, then the newest, with metadata and no content', async () => {
    const res = await session.get('/console/tips');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const order = [ids.urgent, ids.newest, ids.old].map((id) => res.body.indexOf(`/console/tips/${id}"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(res.body).toContain('Feb 4, 2026, 2 AM PST');
    expect(res.body).toContain('Urgent');
    for (const word of ['labour tip', 'urgent older', 'Spanish', 'Ana, 555']) expect(res.body).not.toContain(word);
  });

  it('filters by status, kind, assignee and language', async () => {
    const only = async (query: string) => {
      const body = (await session.get(`/console/tips?${query}`)).body;
      return Object.entries(ids).filter(([, id]) => body.includes(`/console/tips/${id}"`)).map(([name]) => name).sort();
    };
    expect(await only('kind=labour')).toEqual(['old']);
    expect(await only('language=es')).toEqual(['newest']);
    expect(await only('urgent=1')).toEqual(['urgent']);
    expect(await only('status=closed')).toEqual([]);
    expect(await only('assignee=none')).toEqual(['newest', 'old', 'urgent']);
    await session.post(`/console/tips/${ids.old}/assign`, { assigneeId: reviewer.account.id }, `/console/tips/${ids.old}`);
    expect(await only(`assignee=${reviewer.account.id}`)).toEqual(['old']);
    expect(await only('status=nonsense&kind=bogus')).toEqual(['newest', 'old', 'urgent']);
  });
});

describe('a tip page', () => {
  it('decrypts the tip, its contact details and files, and writes an audit row', async () => {
    const before = await db().selectFrom('auditLog').select('seq').where('action', '=', 'tip.open').execute();
    const res = await session.get(`/console/tips/${ids.newest}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('newest tip in Spanish');
    expect(res.body).toContain('van.jpg');
    // Contact details are opened apart, with a reason, and audited as such.
    expect(res.body).not.toContain('Ana, 555-0100, evenings');
    expect(res.body).toContain('Contact details given.');
    const contact = await session.post(`/console/tips/${ids.newest}/contact`, { reason: 'calling back' }, `/console/tips/${ids.newest}`);
    expect(contact.statusCode).toBe(200);
    expect(contact.body).toContain('Ana, 555-0100, evenings');
    const after = await db().selectFrom('auditLog').select(['actorId', 'targetId']).where('action', '=', 'tip.open').execute();
    // The page, the page the contact form was taken from, and the page with the contact details.
    expect(after.length).toBe(before.length + 3);
    const opened = await db().selectFrom('auditLog').select(['actorId', 'targetId', 'detail']).where('action', '=', 'tip.contact_open').where('targetId', '=', ids.newest!).execute();
    expect(opened.map((r) => ({ ...r, detail: JSON.parse(String(r.detail)) }))).toEqual([{ actorId: reviewer.account.id, targetId: ids.newest, detail: { reason: 'calling back' } }]);
    expect(after.at(-1)).toEqual({ actorId: reviewer.account.id, targetId: ids.newest });
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it('opens a tip in a second process on the same database without asking for the password again', async () => {
    const other = await buildApp({ config: t.config, database: t.db.handle, clock: t.clock, logStream: new Writable({ write: (_c, _e, done) => done() }) });
    await other.ready();
    try {
      const page = await other.inject({ url: `/console/tips/${ids.old}`, headers: { cookie: session.cookie } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('old labour tip');
    } finally {
      await other.close();
    }
  });

  it('sends staff whose session holds no unlocked key to unlock it, then back', async () => {
    const own = await signIn(t, reviewer);
    const idHash = createHash('sha256').update(/=([^;]+)/.exec(own.cookie)![1]!).digest('hex');
    await t.db.handle.db.updateTable('sessions').set({ keyBox: null }).where('idHash', '=', idHash).execute();
    const locked = await own.get(`/console/tips/${ids.old}`);
    expect(locked.statusCode).toBe(303);
    expect(locked.headers.location).toBe(`/console/account/unlock?next=${encodeURIComponent(`/console/tips/${ids.old}`)}`);
    const form = await own.get(locked.headers.location as string);
    const unlocked = await own.post('/console/account/unlock', { password: reviewer.password, next: `/console/tips/${ids.old}`, _csrf: csrfFrom(form.body) });
    expect(unlocked.headers.location).toBe(`/console/tips/${ids.old}`);
    expect((await own.get(`/console/tips/${ids.old}`)).body).toContain('old labour tip');
  });

  it('serves a file decrypted, never cached, sandboxed, and audited', async () => {
    const page = await session.get(`/console/tips/${ids.newest}`);
    const href = /href="(\/console\/tips\/[^"]+\/files\/[^"]+)"/.exec(page.body)![1]!;
    const res = await session.get(href);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(String(res.headers['content-security-policy'])).toContain('sandbox');
    expect(String(res.headers['content-disposition'])).toContain("inline; filename*=UTF-8''van.jpg");
    const opened = await db().selectFrom('auditLog').select('targetId').where('action', '=', 'tip.file_open').execute();
    expect(opened.at(-1)!.targetId).toBe(ids.newest);
  });

  it('keeps notes and tags encrypted, and links a duplicate by its short reference', async () => {
    expect((await session.post(`/console/tips/${ids.old}/notes`, { note: 'Spoke with the labour inspector' }, `/console/tips/${ids.old}`)).headers.location).toBe(`/console/tips/${ids.old}?done=note`);
    expect((await session.post(`/console/tips/${ids.old}/tags`, { tags: 'restaurant, night shift, restaurant' }, `/console/tips/${ids.old}`)).headers.location).toBe(`/console/tips/${ids.old}?done=tags`);
    expect((await session.post(`/console/tips/${ids.old}/duplicate`, { duplicateOf: `T-${ids.urgent!.slice(0, 8)}` }, `/console/tips/${ids.old}`)).headers.location).toBe(`/console/tips/${ids.old}?done=duplicate`);
    expect((await session.post(`/console/tips/${ids.old}/duplicate`, { duplicateOf: 'T-nothere' }, `/console/tips/${ids.old}`)).headers.location).toBe(`/console/tips/${ids.old}?error=duplicateUnknown`);
    const page = await session.get(`/console/tips/${ids.old}?done=tags`);
    expect(page.body).toContain('Spoke with the labour inspector');
    expect(page.body).toContain('restaurant, night shift"');
    expect(page.body).toContain(`href="/console/tips/${ids.urgent}"`);
    expect(page.body).toContain('The tags were saved.');
    const row = await db().selectFrom('tips').select(['tagsBox', 'duplicateOf']).where('id', '=', ids.old!).executeTakeFirstOrThrow();
    expect(row.duplicateOf).toBe(ids.urgent);
    expect(row.tagsBox).not.toContain('restaurant');
    const note = await db().selectFrom('tipNotes').select('bodyBox').executeTakeFirstOrThrow();
    expect(note.bodyBox).not.toContain('inspector');
  });

  it('offers a printable handoff only once the tip is referred, without the contact details', async () => {
    expect((await session.get(`/console/tips/${ids.newest}/handoff`)).statusCode).toBe(404);
    await session.post(`/console/tips/${ids.newest}/status`, { to: 'in_review' }, `/console/tips/${ids.newest}`);
    await session.post(`/console/tips/${ids.newest}/status`, { to: 'referred', referredTo: 'child_welfare' }, `/console/tips/${ids.newest}`);
    const res = await session.get(`/console/tips/${ids.newest}/handoff`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Child welfare');
    expect(res.body).toContain('newest tip in Spanish');
    expect(res.body).toContain('van.jpg');
    expect(res.body).not.toContain('Ana, 555-0100');
    expect(res.body).toContain('Contact goes through the office');
    const audit = await db().selectFrom('auditLog').select('targetId').where('action', '=', 'tip.handoff').execute();
    expect(audit.at(-1)!.targetId).toBe(ids.newest);
  });

  it('answers an unknown tip like any missing page', async () => {
    expect((await session.get('/console/tips/doesnotexist')).statusCode).toBe(404);
    expect((await session.get('/console/tips/bad%20id')).statusCode).toBe(404);
  });
});

describe('statistics and the console home', () => {
  it('counts tips per week by kind and time to first review, with no content', async () => {
    t.clock.set('2026-02-06T12:00:00Z');
    session = await signIn(t, reviewer);
    const res = await session.get('/console/tips/stats');
    expect(res.statusCode).toBe(200);
    const week = res.body.slice(res.body.indexOf('<th scope="row">2026-02-02</th>'));
    expect(week.slice(0, week.indexOf('</tr>'))).toMatch(/<td>1<\/td><td>1<\/td><td>1<\/td><td>0<\/td><td>3<\/td>/);
    expect(res.body).not.toContain('newest tip');
    expect(res.body).not.toContain('/console/tips/' + ids.old);
  });

  it('shows new and urgent counts on the console home', async () => {
    const home = await session.get('/console');
    expect(home.body).toMatch(/stat-value">1<\/span><span>urgent open tips/);
    expect(home.body).toContain('href="/console/tips?urgent=1"');
    expect(home.body).toContain('new tips');
  });
});

it('logged no error while doing all of this', () => {
  expect(t.logs.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
});
