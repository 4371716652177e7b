import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contextFor, SYSTEM } from '../../core/context.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom, resetPassword, signIn, type SignedIn, type TestStaff } from '../../../test/helpers/staff.ts';
import { unlockOfficeKey } from '../accounts/index.ts';
import { openPartJson, openTipKey } from './crypto.ts';
import type { TipAnswers } from './model.ts';
import { basicTip, createOfficeKey, type OfficeKey, postTip } from './testing.ts';

let t: TestApp;
let office: OfficeKey;
let first: TestStaff;
let firstSession: SignedIn;
let tips: string[] = [];

const db = () => t.app.services.db;

async function submit(text: string): Promise<string> {
  const res = await postTip(t, basicTip({ whatHappened: text }));
  expect(res.statusCode).toBe(200);
  const row = await db().selectFrom('tips').select('id').where('id', 'not in', tips.length ? tips : ['-']).executeTakeFirstOrThrow();
  tips.push(row.id);
  return row.id;
}

async function actions(action: string): Promise<{ actorId: string | null; targetId: string | null; detail: string }[]> {
  return db().selectFrom('auditLog').select(['actorId', 'targetId', 'detail']).where('action', '=', action).orderBy('seq').execute();
}

// Grants, the recovery key and "every tip" are the office's as a whole: each test has an app of
// its own, with one reviewer and the first tip.
beforeEach(async () => {
  t = await createTestApp();
  tips = [];
  office = await createOfficeKey(t);
  first = await createStaff(t, ['tip_reviewer'], { name: 'First Reviewer' });
  firstSession = await signIn(t, first);
  await submit('first tip: the nail salon on Main Street');
});
afterEach(async () => {
  try {
    // Nothing a test does here may log an error.
    expect(t.logs.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
  } finally {
    await t.close();
  }
});

describe('a reviewer added after a tip arrived', () => {
  let late: TestStaff;
  let lateSession: SignedIn;

  beforeEach(async () => {
    late = await createStaff(t, ['investigator'], { name: 'Late Investigator' });
    lateSession = await signIn(t, late);
  });

  it('sees the tip in the queue but cannot open its content, and the attempt is audited', async () => {
    const queue = await lateSession.get('/console/tips');
    expect(queue.body).toContain(`/console/tips/${tips[0]}`);
    const page = await lateSession.get(`/console/tips/${tips[0]}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("You cannot open this tip's content yet");
    expect(page.body).not.toContain('nail salon');
    const opened = await actions('tip.open');
    expect(opened.at(-1)).toMatchObject({ actorId: late.account.id, targetId: tips[0], detail: JSON.stringify({ content: false }) });
  });

  it('is granted the tip by an existing reviewer, audited, and can then read it', async () => {
    const page = await firstSession.get(`/console/tips/${tips[0]}`);
    expect(page.body).toContain('Late Investigator');
    expect(page.body).toContain('No access');
    const res = await firstSession.post(`/console/tips/${tips[0]}/grant`, { accountId: late.account.id }, `/console/tips/${tips[0]}`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/console/tips/${tips[0]}?done=granted`);
    expect((await lateSession.get(`/console/tips/${tips[0]}`)).body).toContain('nail salon on Main Street');
    const grants = await actions('tip.grant');
    expect(grants.at(-1)).toMatchObject({ actorId: first.account.id, targetId: tips[0] });
    expect(JSON.parse(grants.at(-1)!.detail)).toEqual({ to: late.account.id, via: 'own_access' });
  });

  it('refuses to share with an account that cannot read tips', async () => {
    const volunteer = await createStaff(t, ['volunteer']);
    const res = await firstSession.post(`/console/tips/${tips[0]}/grant`, { accountId: volunteer.account.id }, `/console/tips/${tips[0]}`);
    expect(res.headers.location).toBe(`/console/tips/${tips[0]}?error=notReader`);
  });
});

describe('a reviewer whose keys were replaced by a password reset', () => {
  let reset: TestStaff;

  beforeEach(async () => {
    reset = await createStaff(t, ['tip_reviewer'], { name: 'Reset Reviewer' });
    await submit('second tip: a farm labour camp near the river');
    await submit('third tip: apartment 4B');
    await resetPassword(t, reset, 'a brand new long passphrase 2026');
  });

  it('is shown as needing a new grant, and cannot open the tips sealed to the old keys', async () => {
    const access = await firstSession.get('/console/tips/access');
    expect(access.statusCode).toBe(200);
    const row = access.body.slice(access.body.indexOf('Reset Reviewer'));
    expect(row.slice(0, row.indexOf('</tr>'))).toContain('Keys replaced: needs a new grant');
    const session = await signIn(t, reset);
    const page = await session.get(`/console/tips/${tips[1]}`);
    expect(page.body).toContain("You cannot open this tip's content yet");
    const tipPage = await firstSession.get(`/console/tips/${tips[1]}`);
    expect(tipPage.body).toMatch(/Reset Reviewer:\s*<span class="badge badge-warn">Needs a new grant/);
  });

  it('regains every tip through an administrator who types the office recovery key', async () => {
    const admin = await signIn(t, await createStaff(t, ['administrator']));
    // An administrator manages access but does not read tips.
    expect((await admin.get(`/console/tips/${tips[1]}`)).statusCode).toBe(403);
    const page = await admin.get('/console/tips/access');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('value="own"');

    const wrong = await t.app.inject({
      method: 'POST',
      url: '/console/tips/access',
      headers: { cookie: admin.cookie },
      payload: { _csrf: csrfFrom(page.body), accountId: reset.account.id, source: 'recovery', recoveryKey: 'HWRK-0000-1111' },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('That is not the office recovery key.');
    expect(wrong.body).not.toContain('HWRK-0000-1111');

    const res = await t.app.inject({
      method: 'POST',
      url: '/console/tips/access',
      headers: { cookie: admin.cookie },
      payload: { _csrf: csrfFrom(page.body), accountId: reset.account.id, source: 'recovery', recoveryKey: office.recoveryKey.toLowerCase() },
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/console/tips/access?granted=${tips.length}&unavailable=0`);
    const session = await signIn(t, reset);
    expect((await session.get(`/console/tips/${tips[1]}`)).body).toContain('farm labour camp');
    expect((await session.get(`/console/tips/${tips[0]}`)).body).toContain('nail salon');
    const viaRecovery = (await actions('tip.grant')).filter((g) => JSON.parse(g.detail).via === 'recovery_key');
    expect(viaRecovery).toHaveLength(tips.length);
    expect((await actions('tip.recovery_key_refused'))).toHaveLength(1);
    const after = await admin.get('/console/tips/access');
    const row = after.body.slice(after.body.indexOf('Reset Reviewer'));
    expect(row.slice(0, row.indexOf('</tr>'))).not.toContain('needs a new grant');
  });

  it('lets a reviewer share every tip they can open with a new colleague', async () => {
    const colleague = await createStaff(t, ['investigator'], { name: 'New Colleague' });
    const page = await firstSession.get('/console/tips/access');
    const res = await t.app.inject({
      method: 'POST',
      url: '/console/tips/access',
      headers: { cookie: firstSession.cookie },
      payload: { _csrf: csrfFrom(page.body), accountId: colleague.account.id, source: 'own' },
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/console/tips/access?granted=${tips.length}&unavailable=0`);
    const session = await signIn(t, colleague);
    expect((await session.get(`/console/tips/${tips[2]}`)).body).toContain('apartment 4B');
  });
});

describe('the office recovery key', () => {
  it('opens every tip, whoever else lost their keys', async () => {
    await submit('second tip: a farm labour camp near the river');
    await resetPassword(t, first, 'a brand new long passphrase 2026');
    await submit('third tip: apartment 4B');
    const keyPair = await unlockOfficeKey(contextFor(t.app.services, SYSTEM), office.recoveryKey);
    expect(keyPair).toBeDefined();
    const rows = await db().selectFrom('tips').select(['id', 'answersBox']).execute();
    expect(rows.length).toBe(tips.length);
    for (const row of rows) {
      const grant = await db().selectFrom('tipGrants').select('sealedKey').where('tipId', '=', row.id).where('holderType', '=', 'office').where('holderId', '=', office.id).executeTakeFirstOrThrow();
      const answers = await openPartJson<TipAnswers>(await openTipKey(grant.sealedKey, keyPair!), row.id, 'answers', row.answersBox);
      expect(answers.whatHappened).toMatch(/tip:/);
    }
  });

  it('follows a replaced office key: the next reader to open a tip seals it to the new one', async () => {
    const replaced = await createOfficeKey(t);
    await firstSession.get(`/console/tips/${tips[0]}`);
    const grant = await db().selectFrom('tipGrants').select('sealedKey').where('tipId', '=', tips[0]!).where('holderType', '=', 'office').where('holderId', '=', replaced.id).executeTakeFirstOrThrow();
    const keyPair = await unlockOfficeKey(contextFor(t.app.services, SYSTEM), replaced.recoveryKey);
    expect(await openTipKey(grant.sealedKey, keyPair!)).toHaveLength(32);
  });
});
