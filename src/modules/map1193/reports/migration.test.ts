import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/database.ts';
import * as reportOutcomes from '../../../../migrations/20261201T1100-map1193-report-outcomes.ts';
import { businessRow } from '../testing.ts';

// Data from before reports stopped setting the status: what it becomes.
let database: TestDatabase;
const db = () => database.handle.db;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.close());

describe('the report outcomes migration', () => {
  it('keeps each public status as the official status and keeps on the queue what a report put there', async () => {
    await reportOutcomes.down(db());
    const rows = [
      businessRow({ status: 'reported_missing', lastReportAt: '2026-03-01T10:00:00.000Z' }),
      businessRow({ status: 'reported_posted', lastReportAt: '2026-03-02T10:00:00.000Z' }),
      businessRow({ status: 'notice_sent', lastReportAt: '2026-03-03T10:00:00.000Z' }),
    ];
    await db().insertInto('mapBusinesses').values(rows.map(({ queuedAt: _, ...old }) => old)).execute();
    await reportOutcomes.up(db());
    const after = await db().selectFrom('mapBusinesses').select(['id', 'status', 'queuedAt']).where('id', 'in', rows.map((r) => r.id)).execute();
    expect(Object.fromEntries(after.map((r) => [r.id, [r.status, r.queuedAt]]))).toEqual({
      [rows[0]!.id]: ['reported_missing', '2026-03-01T10:00:00.000Z'],
      [rows[1]!.id]: ['reported_posted', null],
      [rows[2]!.id]: ['notice_sent', null],
    });
  });
});
