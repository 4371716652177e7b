import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/database.ts';
import { down, up } from '../../../../migrations/20261201T1300-map1193-case-numbers.ts';
import { manualClock } from '../../../core/clock.ts';
import { recordAudit, SYSTEM_ACTOR } from '../../../core/audit/audit.ts';
import { businessRow, insertBusinesses } from '../testing.ts';

// The migration on a database as it was before it: cases without numbers, steps without seqs.
let database: TestDatabase;
const db = () => database.handle.db;

beforeAll(async () => {
  database = await createTestDatabase();
  await down(db() as unknown as Kysely<any>);
});
afterAll(async () => database.close());

describe('the case-number migration', () => {
  it('numbers existing cases by the California year they were opened in, and pairs each step with its audit row', async () => {
    const [business] = await insertBusinesses(db(), [businessRow()]);
    const raw = db() as unknown as Kysely<any>;
    const opened = ['2025-03-01T18:00:00.000Z', '2026-01-01T03:00:00.000Z', '2026-02-01T18:00:00.000Z', '2025-07-01T18:00:00.000Z'];
    const clock = manualClock(new Date('2026-03-01T00:00:00Z'));
    const seqs: Record<string, number> = {};
    for (const [i, at] of opened.entries()) {
      const id = `case-${i}`;
      await raw.insertInto('mapCases').values({ id, businessId: business!.id, stage: 'compliant', openedAt: at, noticeSentAt: null, cureDueAt: null, penaltyUsd: null, closedAt: at, updatedAt: at }).execute();
      await raw.insertInto('mapCaseSteps').values({ id: `step-${i}`, caseId: id, at, action: 'visit_compliant', fromStage: 'none', toStage: 'compliant', actorId: null, notes: null }).execute();
      // An unrelated row between them: pairing goes by case, not by position in the chain.
      await recordAudit(db(), clock, { actor: SYSTEM_ACTOR, action: 'settings.update', targetType: 'settings' });
      seqs[`step-${i}`] = await recordAudit(db(), clock, { actor: SYSTEM_ACTOR, action: 'map1193.case.visit_compliant', targetType: 'map1193.case', targetId: id });
    }
    await up(raw);
    const cases = await db().selectFrom('mapCases').select(['id', 'caseNumber']).where('businessId', '=', business!.id).orderBy('id').execute();
    // 2026-01-01T03:00Z is still New Year's Eve 2025 in California.
    expect(cases.map((c) => c.caseNumber)).toEqual(['2025-0001', '2025-0003', '2026-0001', '2025-0002']);
    const counters = await db().selectFrom('mapCaseCounters').select(['year', 'last']).orderBy('year').execute();
    expect(counters.map((c) => [Number(c.year), Number(c.last)])).toEqual([[2025, 3], [2026, 1]]);
    const steps = await db().selectFrom('mapCaseSteps').select(['id', 'auditSeq', 'deficiencies']).orderBy('id').execute();
    expect(Object.fromEntries(steps.map((s) => [s.id, Number(s.auditSeq)]))).toEqual(seqs);
    expect(steps.every((s) => s.deficiencies === '')).toBe(true);
    const notices = await db().selectFrom('mapNotices').select('format').execute();
    expect(notices).toEqual([]);
  });
});
