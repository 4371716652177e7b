import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { createStaff, signIn } from '../../../../test/helpers/staff.ts';
import { contextFor } from '../../../core/context.ts';
import { newId } from '../../../core/crypto/server-secret.ts';
import { actorOf } from '../../../core/auth/staff.ts';
import { insertCase } from './repo.ts';
import { lawDay } from '../rules/rules.ts';
import { endRule } from '../rules/service.ts';
import { businessRow, insertBusinesses } from '../testing.ts';

// With no penalty rule in force the law as data gives no cure period and no amount: sending a
// notice or recording a penalty is refused with a message, not a server error.
let t: TestApp;
const DAY = 86_400_000;

const db = () => t.app.services.db;
const stepUrl = (id: string) => `/console/map1193/inspections/${id}/step`;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-03-02T17:00:00Z');
  const admin = await createStaff(t, ['administrator']);
  const s = t.app.services;
  const ended = await endRule(
    contextFor(s, actorOf(admin.account)),
    { kind: 'penalty', subject: 'penalty', effectiveTo: lawDay(s.clock.now(), 'America/Los_Angeles'), bill: 'Repeal for the test' },
  );
  expect(ended?.effectiveTo).toBe('2026-03-02');
});
afterAll(async () => t.close());

describe('no penalty rule in force', () => {
  it('refuses to send a notice with 409 and says why; the case stays where it was', async () => {
    const [business] = await insertBusinesses(db(), [businessRow({ status: 'reported_missing' })]);
    const session = await signIn(t, await createStaff(t, ['compliance_inspector']));
    expect((await session.post(stepUrl(business!.id), { action: 'visit_violation' })).statusCode).toBe(303);
    const res = await session.post(stepUrl(business!.id), { action: 'send_notice' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('No penalty rule is in force, so there is no cure period or amount to apply.');
    const kase = await db().selectFrom('mapCases').select(['id', 'stage']).where('businessId', '=', business!.id).executeTakeFirstOrThrow();
    expect(kase.stage).toBe('violation');
    expect(await db().selectFrom('mapNotices').select('id').where('caseId', '=', kase.id).execute()).toEqual([]);
  });

  it('refuses to record a penalty with 409, in the inspector’s language', async () => {
    const [business] = await insertBusinesses(db(), [businessRow({ status: 'notice_sent' })]);
    const sent = new Date(t.clock.now().getTime() - 40 * DAY).toISOString();
    const caseId = newId();
    await insertCase(db(), { id: caseId, businessId: business!.id, stage: 'notice_sent', openedAt: sent, noticeSentAt: sent, cureDueAt: new Date(Date.parse(sent) + 30 * DAY).toISOString(), penaltyUsd: null, closedAt: null, updatedAt: sent, caseNumber: null });
    const session = await signIn(t, await createStaff(t, ['compliance_inspector'], { locale: 'es' }));
    const res = await session.post(stepUrl(business!.id), { action: 'reinspect_failed' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('No hay ninguna regla de multas vigente');
    const kase = await db().selectFrom('mapCases').select(['stage', 'penaltyUsd']).where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(kase).toEqual({ stage: 'notice_sent', penaltyUsd: null });
  });
});
