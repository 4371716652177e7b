import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import sharp from 'sharp';
import { multipart } from '../helpers/multipart.ts';
import { createStaff, csrfFrom, signIn, type SignedIn, type TestStaff } from '../helpers/staff.ts';
import { contextFor } from '../../src/core/context.ts';
import { inviteAccount } from '../../src/modules/accounts/invitations.service.ts';
import { CLI_ACTOR } from '../../src/modules/accounts/index.ts';
import { runBackup } from '../../src/modules/backups/index.ts';
import { settingsFormValues } from '../../src/modules/settings/schema.ts';
import { type ActionCase, actorOfStaff, describeAuditedActions } from './testing.ts';

// The office's own things: news, pages, settings, the outbox and the audit log's export.
let t: TestApp;
let adminStaff: TestStaff;
let admin: SignedIn;

const db = () => t.app.services.db;
const tag = () => randomBytes(4).toString('hex');

beforeAll(async () => {
  t = await createTestApp();
  adminStaff = await createStaff(t, ['administrator']);
  admin = await signIn(t, adminStaff);
});
afterAll(async () => t.close());

const byAdmin = (targetType: string | null, targetId: string | null, also: string[] = []) => ({ actor: actorOfStaff(adminStaff), targetType, targetId, also });

/** A post from the news editor: answers the post's id from the redirect. */
async function newsPost(url: string, action: 'save' | 'publish', extra: Record<string, string> = {}): Promise<string> {
  const res = await admin.post(url, { title: `Audit news ${tag()}`, slug: '', summary: 'A summary.', body: 'Some text.', action, ...extra });
  expect(res.statusCode).toBe(303);
  return /^\/console\/news\/([^?]+)/.exec(String(res.headers.location))![1]!;
}
const newDraft = () => newsPost('/console/news/new', 'save', { locale: 'en' });

/** Publishes a new revision of a page from its editor, starting from the revision shown there. */
async function publishPage(slug: string) {
  const form = await admin.get(`/console/content/en/${slug}`);
  const base = /name="base" value="(\d+)"/.exec(form.body)![1]!;
  const res = await admin.post(`/console/content/en/${slug}`, { base, title: `Page ${tag()}`, summary: 'Summary.', body: `Body ${tag()}.`, action: 'publish' });
  expect(res.headers.location).toBe(`/console/content/en/${slug}?notice=published`);
}

const cases: Record<string, ActionCase[]> = {
  'news.create': [
    {
      name: 'an editor saves a new draft',
      async run(act) {
        const id = await act(newDraft);
        return byAdmin('news_post', id);
      },
    },
  ],
  'news.publish': [
    {
      name: 'an editor publishes a new post at once',
      async run(act) {
        const id = await act(() => newsPost('/console/news/new', 'publish', { locale: 'en' }));
        return byAdmin('news_post', id, ['news.create']);
      },
    },
    {
      name: 'an editor publishes a draft',
      async run(act) {
        const id = await newDraft();
        await act(() => newsPost(`/console/news/${id}`, 'publish'));
        return byAdmin('news_post', id, ['news.update']);
      },
    },
  ],
  'news.update': [
    {
      name: 'an editor saves a changed draft',
      async run(act) {
        const id = await newDraft();
        await act(() => newsPost(`/console/news/${id}`, 'save'));
        return byAdmin('news_post', id);
      },
    },
  ],
  'news.unpublish': [
    {
      name: 'an editor takes a post off the site',
      async run(act) {
        const id = await newsPost('/console/news/new', 'publish', { locale: 'en' });
        expect((await act(() => admin.post(`/console/news/${id}/unpublish`, {}))).statusCode).toBe(303);
        return byAdmin('news_post', id);
      },
    },
  ],
  'content.page_publish': [
    {
      name: 'an editor publishes a page',
      async run(act) {
        await act(() => publishPage('who-it-affects'));
        return byAdmin('page', 'en/who-it-affects');
      },
    },
  ],
  'content.page_restore': [
    {
      name: 'an editor brings back the page the office started with',
      async run(act) {
        await publishPage('how-people-are-trafficked');
        const res = await act(() => admin.post('/console/content/en/how-people-are-trafficked/revisions/0/restore', {}));
        expect(res.headers.location).toBe('/console/content/en/how-people-are-trafficked?notice=restored');
        return byAdmin('page', 'en/how-people-are-trafficked');
      },
    },
  ],
  'settings.update': [
    {
      name: 'an administrator changes the office settings',
      async run(act) {
        const values = { ...settingsFormValues(await t.app.services.settings.get()), officeName: `Audit County DA ${tag()}` };
        const res = await act(() => admin.post('/console/settings', values));
        expect(res.headers.location).toBe('/console/settings?notice=saved');
        return byAdmin('settings', null);
      },
    },
    {
      name: 'an administrator uploads the letterhead logo',
      async run(act) {
        const logo = await sharp({ create: { width: 120, height: 40, channels: 3, background: '#203060' } }).png().toBuffer();
        const body = multipart([['_csrf', csrfFrom((await admin.get('/console/settings')).body)], ['logo', { filename: 'logo.png', type: 'image/png', data: logo }]]);
        const res = await act(() => t.app.inject({ method: 'POST', url: '/console/settings/logo', headers: { ...body.headers, cookie: admin.cookie }, payload: body.payload }));
        expect(res.headers.location).toBe('/console/settings?notice=logoSaved');
        return byAdmin('settings', null);
      },
    },
  ],
  'outbox.message_read': [
    {
      name: 'an administrator reads a message in the outbox',
      async run(act) {
        const email = `outbox-${tag()}@example.org`;
        await inviteAccount(contextFor(t.app.services, actorOfStaff(adminStaff)), { email, displayName: 'Olive Outbox', roles: ['volunteer'], locale: 'en' });
        const message = await db().selectFrom('outbox').select('id').where('toAddress', '=', email).executeTakeFirstOrThrow();
        expect((await act(() => admin.get(`/console/outbox/${message.id}`))).statusCode).toBe(200);
        return byAdmin('outbox', message.id);
      },
    },
  ],
  'audit.export': [
    {
      name: 'an administrator downloads the log as CSV',
      async run(act) {
        expect((await act(() => admin.get('/console/audit.csv?action=audit.export'))).statusCode).toBe(200);
        return byAdmin('audit_log', null);
      },
    },
  ],
  'settings.tip_line_opened_early': [
    {
      name: 'an administrator opens the tip form before any reader exists',
      async run(act) {
        const res = await act(() => admin.post('/console/settings/tip-line', { understood: 'yes' }, '/console/settings/checklist'));
        expect(res.statusCode).toBe(303);
        return byAdmin('settings', null);
      },
    },
  ],
  'backup.created': [
    {
      name: 'the operator runs heatwatch backup',
      async run(act) {
        const handle = t.db.handle;
        const file = path.join(t.db.dir, `audit-${tag()}.backup`);
        const url = process.env.HEATWATCH_TEST_DB === 'postgres' ? process.env.TEST_DATABASE_URL! : `sqlite:${handle.file}`;
        const manifest = await act(() => runBackup(contextFor(t.app.services, CLI_ACTOR), { file: handle.file, url, schema: handle.schema }, file));
        const row = await db().selectFrom('auditLog').select('detail').where('action', '=', 'backup.created').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
        expect(JSON.parse(row.detail)).toEqual({ auditSeq: manifest.auditHead.seq, auditHash: manifest.auditHead.hash, bytes: manifest.bytes });
        return { actor: CLI_ACTOR, targetType: 'backup', targetId: null, also: [] };
      },
    },
  ],
};

describeAuditedActions('content', db, cases);
