import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordAudit } from '../../core/audit/audit.ts';
import { manualClock } from '../../core/clock.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { auditVerifyCommand } from './commands.ts';

let database: TestDatabase;
const clock = manualClock('2026-02-01T09:00:00.000Z');

async function appendRows(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    clock.advance(1000);
    await database.handle.db.transaction().execute((trx) => recordAudit(trx, clock, { actor: { id: 'a1', label: 'ana@example.org' }, action: 'test.row', targetType: 'thing', targetId: String(i), detail: { i } }));
  }
}

async function verify(): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await auditVerifyCommand(database.handle.db, { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out, err };
}

// The chain is the whole table, so each test verifies a database of its own.
beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(async () => database.close());

describe('heatwatch audit verify', () => {
  it('prints OK with the row count for an intact chain (and for an empty one)', async () => {
    expect(await verify()).toEqual({ code: 0, out: ['OK: the audit chain holds (0 rows)'], err: [] });
    await appendRows(10);
    expect(await verify()).toEqual({ code: 0, out: ['OK: the audit chain holds (10 rows)'], err: [] });
  });

  it('reports exactly the row whose detail was changed, and exits 1', async () => {
    await appendRows(10);
    const db = database.handle.db;
    const original = await db.selectFrom('auditLog').select('detail').where('seq', '=', 4).executeTakeFirstOrThrow();
    await db.updateTable('auditLog').set({ detail: '{"i":999}' }).where('seq', '=', 4).execute();
    expect(await verify()).toEqual({ code: 1, out: [], err: ['BROKEN at row 4: its contents were changed (3 rows before it hold)'] });
    await db.updateTable('auditLog').set({ detail: original.detail }).where('seq', '=', 4).execute();
    expect((await verify()).code).toBe(0);
  });

  it('reports a deleted last row by its number', async () => {
    await appendRows(10);
    await database.handle.db.deleteFrom('auditLog').where('seq', '=', 10).execute();
    expect(await verify()).toEqual({ code: 1, out: [], err: ['BROKEN at row 10: rows after 9 were removed (9 rows before it hold)'] });
  });

  it('reports a row deleted from the middle', async () => {
    await appendRows(10);
    await database.handle.db.deleteFrom('auditLog').where('seq', '=', 6).execute();
    expect(await verify()).toEqual({ code: 1, out: [], err: ['BROKEN at row 6: row 6 is missing (5 rows before it hold)'] });
  });
});
