import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contextFor } from '../../core/context.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, signIn, type SignedIn, type TestStaff } from '../../../test/helpers/staff.ts';
import { CLI_ACTOR } from '../accounts/index.ts';
import { runBackup } from '../backups/index.ts';
import { basicTip, createOfficeKey, openForm, postTip } from './testing.ts';

// Going live: the tip form waits for a reader (or an administrator's informed choice), an
// urgent alert waits for its first reader, and the setup checklist says what is left.
let t: TestApp;
let admin: SignedIn;
let adminStaff: TestStaff;
const db = () => t.app.services.db;
const urgentMails = () => db().selectFrom('outbox').select(['toAddress', 'template']).where('template', '=', 'tips.urgent').execute();
const tick = async () => {
  t.clock.advance(61_000);
  await t.app.services.jobs.runDue();
};

beforeEach(async () => {
  t = await createTestApp();
  await createOfficeKey(t, { waitForReader: true });
  adminStaff = await createStaff(t, ['administrator']);
  admin = await signIn(t, adminStaff);
});
afterEach(async () => t.close());

describe('going live', () => {
  it('keeps the tip form closed until a reader exists, and opens it when one joins', async () => {
    // A form rendered while the line was open, posted once it is closed again, is refused too.
    await t.app.services.settings.update({ tipLineOpenedEarly: true });
    const earlier = await openForm(t);
    await t.app.services.settings.update({ tipLineOpenedEarly: false });
    const closed = (await t.app.inject({ url: '/tip' })).body;
    expect(closed).toContain('(555)\u00a0010\u20110199');
    expect(closed).not.toContain('name="whatHappened"');
    expect((await postTip(t, basicTip(), [], { csrf: earlier.csrf, submissionId: earlier.submissionId })).statusCode).toBe(503);
    expect(await db().selectFrom('tips').select('id').execute()).toEqual([]);
    await createStaff(t, ['investigator']);
    expect((await openForm(t)).html).toContain('name="whatHappened"');
    expect((await postTip(t, basicTip())).statusCode).toBe(200);
  });

  it('lets an administrator open it early, with the warning and an audit row; the urgent alert waits for the first reader', async () => {
    const page = await admin.get('/console/settings/checklist');
    expect(page.body).toContain('only the office recovery key opens the tips that arrive');
    // The box unticked: refused, with the reason.
    const refused = await admin.post('/console/settings/tip-line', {}, '/console/settings/checklist');
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Tick the box to confirm you have read the warning.');
    expect((await t.app.services.settings.get()).tipLineOpenedEarly).toBe(false);
    const opened = await admin.post('/console/settings/tip-line', { understood: 'yes' }, '/console/settings/checklist');
    expect(opened.statusCode).toBe(303);
    const audit = await db().selectFrom('auditLog').select(['action', 'actorLabel']).where('action', '=', 'settings.tip_line_opened_early').execute();
    expect(audit).toHaveLength(1);

    expect((await postTip(t, basicTip({ danger: 'yes' }))).statusCode).toBe(200);
    await tick();
    // No one to tell: the alert is kept, not spent.
    expect(await urgentMails()).toEqual([]);
    expect((await db().selectFrom('tips').select('notifyPending').executeTakeFirstOrThrow()).notifyPending).toBe(1);
    const reviewer = await createStaff(t, ['tip_reviewer'], { email: 'first-reader@example.org' });
    await tick();
    expect(await urgentMails()).toEqual([{ toAddress: reviewer.account.email, template: 'tips.urgent' }]);
    expect((await db().selectFrom('tips').select('notifyPending').executeTakeFirstOrThrow()).notifyPending).toBe(0);
  });

  it('shows the checklist on the console home until every step is done, with a test e-mail through the outbox', async () => {
    const home = await admin.get('/console');
    expect(home.body).toContain('href="/console/settings/checklist"');
    expect(home.body).toMatch(/<span class="stat-value">5<\/span>\s*<span>setup steps left/);
    const sent = await admin.post('/console/settings/test-email', {}, '/console/settings/checklist');
    expect(sent.headers.location).toBe('/console/settings/checklist?notice=testEmail');
    const mail = await db().selectFrom('outbox').select(['toAddress', 'template', 'textBody']).where('template', '=', 'settings.test').executeTakeFirstOrThrow();
    expect(mail.textBody).toContain('outbox folder');

    await t.app.services.settings.update({ contactAddress: '1 Court Plaza, Realtown', contactEmail: 'tips@da.example.gov', officePhone: '(510) 555-2000', instagramUrl: 'https://www.instagram.com/realda' });
    await createStaff(t, ['tip_reviewer']);
    const ctx = contextFor(t.app.services, CLI_ACTOR);
    const url = process.env.HEATWATCH_TEST_DB === 'postgres' ? process.env.TEST_DATABASE_URL! : `sqlite:${t.db.handle.file}`;
    await runBackup(ctx, { file: t.db.handle.file, url, schema: t.db.handle.schema }, path.join(t.db.dir, 'checklist.backup'));
    const page = await admin.get('/console/settings/checklist');
    for (const step of ['contact', 'social', 'reviewer', 'backups']) expect(page.body).toContain(`data-step="${step}" data-done="yes"`);
    expect(page.body).toContain('data-step="smtp" data-done="no"');
    expect(page.body).not.toContain('data-section="tip-line"');
    // A backup older than 36 hours no longer counts as scheduled.
    t.clock.advance(37 * 3600_000);
    admin = await signIn(t, adminStaff);
    expect((await admin.get('/console/settings/checklist')).body).toContain('data-step="backups" data-done="no"');
  });
});
