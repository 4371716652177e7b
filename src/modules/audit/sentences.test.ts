import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDITED_ACTIONS } from '../../../test/audit/testing.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, signIn, type SignedIn } from '../../../test/helpers/staff.ts';
import { newId } from '../../core/crypto/server-secret.ts';
import { loadCatalogs } from '../../core/i18n/catalog.ts';
import { ACTION_GROUP_NAMES, inGroup, sentenceKey } from './sentences.ts';

const catalogs = loadCatalogs(fileURLToPath(new URL('../../../locales', import.meta.url)));

describe('every audited action reads as a sentence', () => {
  it.each(Object.keys(AUDITED_ACTIONS))('%s has a sentence in every locale and belongs to one group', (action) => {
    for (const locale of catalogs.locales) {
      const sentence = catalogs.messages.get(locale)!.get(sentenceKey(action));
      expect(sentence, `${locale}: ${action}`).toBeTruthy();
      // A sentence says who did it, unless it is about what befell an account.
      expect(sentence!.includes('{actor}') || sentence!.includes('{target}'), `${locale}: ${action}`).toBe(true);
    }
    expect(ACTION_GROUP_NAMES.filter((g) => inGroup(action, g)), action).toHaveLength(1);
  });
  it('checks both of the office languages', () => {
    expect(catalogs.locales).toEqual(expect.arrayContaining(['en', 'es']));
  });
});

describe('the audit log page in plain words', () => {
  let t: TestApp;
  let admin: SignedIn;
  let reviewerId: string;
  const tipId = newId();

  beforeAll(async () => {
    t = await createTestApp();
    admin = await signIn(t, await createStaff(t, ['administrator'], { name: 'Ada Admin' }));
    const reviewer = await createStaff(t, ['tip_reviewer'], { name: 'Tina Reviewer' });
    reviewerId = reviewer.account.id;
    await t.app.services.db.transaction().execute(async (trx) => {
      await t.app.services.audit(trx, { actor: { id: reviewerId, label: reviewer.account.email }, action: 'tip.open', targetType: 'tip', targetId: tipId });
      await t.app.services.audit(trx, { actor: { id: reviewerId, label: reviewer.account.email }, action: 'account.locale_changed', targetType: 'account', targetId: reviewerId });
      await t.app.services.audit(trx, { actor: { id: null, label: 'system' }, action: 'made.up_action', targetType: 'thing', targetId: 'x1' });
    });
  });
  afterAll(async () => t.close());

  it('shows each action as a sentence with its code on hover', async () => {
    const page = await admin.get(`/console/audit?actor=${reviewerId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<abbr class="audit-sentence" title="tip.open">Tina Reviewer opened tip T-${tipId.slice(0, 8)}</abbr>`);
    expect(page.body).toContain('Tina Reviewer changed the language of Tina Reviewer');
  });

  it('in the staff member’s language, and an unknown action still shows by its code', async () => {
    const es = await signIn(t, await createStaff(t, ['administrator'], { locale: 'es' }));
    expect((await es.get(`/console/audit?actor=${reviewerId}`)).body).toContain(`Tina Reviewer abrió la denuncia T-${tipId.slice(0, 8)}`);
    expect((await admin.get('/console/audit?action=made.')).body).toContain('The system: made.up_action thing x1');
  });

  it('filters by kind of action, and leaves the CSV with the raw codes', async () => {
    const tips = await admin.get(`/console/audit?group=tips&actor=${reviewerId}`);
    expect(tips.body).toContain('title="tip.open"');
    expect(tips.body).not.toContain('title="account.locale_changed"');
    const accounts = await admin.get(`/console/audit?group=accounts&actor=${reviewerId}`);
    expect(accounts.body).toContain('title="account.locale_changed"');
    expect(accounts.body).not.toContain('title="tip.open"');
    // An unknown group is a bad filter, shown back with the form.
    expect((await admin.get('/console/audit?group=nope')).statusCode).toBe(422);
    const csv = await admin.get(`/console/audit.csv?group=tips&actor=${reviewerId}`);
    const lines = csv.body.split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',tip.open,tip,');
  });
});
