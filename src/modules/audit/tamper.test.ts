import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuditEntry, auditHash, type AuditRow, recordAudit, verifyAuditChain } from '../../core/audit/audit.ts';
import { manualClock } from '../../core/clock.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { auditVerifyCommand } from './commands.ts';

// Every case gets a chain of its own in a database of its own, so a case that fails to restore
// what it changed cannot make another case pass or fail.
let database: TestDatabase;
beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(async () => database.close());

type Row = Record<string, unknown> & { seq: number };

/** Five rows with every nullable column both filled (rows 1-3, 5) and empty (row 4). */
async function writeChain(): Promise<void> {
  const clock = manualClock('2026-02-01T09:00:00.000Z');
  const staff = { id: 'acct-7', label: 'ana@example.org' };
  const entries: AuditEntry[] = [
    { actor: staff, action: 'tip.open', targetType: 'tip', targetId: 'tip-1', detail: { content: true } },
    { actor: staff, action: 'tip.note', targetType: 'tip', targetId: 'tip-1' },
    { actor: staff, action: 'account.roles_changed', targetType: 'account', targetId: 'acct-9', detail: { roles: 'tip_reviewer' } },
    { actor: { id: null, label: 'system' }, action: 'tip.recovery_key_refused' },
    { actor: staff, action: 'audit.export', targetType: 'audit_log', detail: { action: 'tip' } },
  ];
  for (const entry of entries) {
    clock.advance(1000);
    await database.handle.db.transaction().execute((trx) => recordAudit(trx, clock, entry));
  }
}

/** The raw row, column names as the database spells them. */
async function rawRow(seq: number): Promise<Row> {
  const result = await sql<Row>`select * from audit_log where seq = ${seq}`.execute(database.handle.db.withoutPlugins());
  return result.rows[0]!;
}

async function setColumn(seq: number, column: string, value: unknown): Promise<void> {
  await sql`update audit_log set ${sql.ref(column)} = ${value} where seq = ${seq}`.execute(database.handle.db.withoutPlugins());
}

async function verify(): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await auditVerifyCommand(database.handle.db, { log: (l) => lines.push(l), error: (l) => lines.push(l) });
  return { code, lines };
}

/** `audit verify` must name this row, and so must a walk in batches smaller than the chain. */
async function expectBrokenAt(seq: number): Promise<void> {
  const { code, lines } = await verify();
  expect(code).toBe(1);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^BROKEN at row ${seq}: .+ \\(${seq - 1} rows before it hold\\)$`));
  expect(await verifyAuditChain(database.handle.db, 2)).toMatchObject({ ok: false, brokenAt: seq });
}

const flipHex = (hex: string) => (hex[0] === 'a' ? 'b' : 'a') + hex.slice(1);

/**
 * Every column of audit_log, as the migration creates it, with the edits an attacker or a slip
 * could make to it. Each edit, on its own, must break the chain at the edited row.
 */
const TAMPERS: Record<string, { name: string; seq?: number; to: (row: Row) => unknown }[]> = {
  seq: [{ name: 'moved to an unused number', to: () => 99 }],
  at: [
    { name: 'one millisecond later', to: (r) => new Date(Date.parse(String(r.at)) + 1).toISOString() },
    { name: 'the same instant written another way', to: (r) => String(r.at).replace('.000Z', 'Z') },
  ],
  actor_id: [
    { name: 'another account', to: () => 'acct-8' },
    { name: 'emptied to null', to: () => null },
    { name: 'null made an empty string', seq: 4, to: () => '' },
  ],
  actor_label: [
    { name: 'another person', to: () => 'bo@example.org' },
    { name: 'different letter case', to: (r) => String(r.actor_label).toUpperCase() },
  ],
  action: [{ name: 'another verb', to: () => 'account.locale_changed' }],
  target_type: [
    { name: 'another kind', to: () => 'invitation' },
    { name: 'emptied to null', to: () => null },
    { name: 'null made an empty string', seq: 4, to: () => '' },
  ],
  target_id: [
    { name: 'another record', to: () => 'acct-10' },
    { name: 'emptied to null', to: () => null },
    { name: 'null made an empty string', seq: 4, to: () => '' },
  ],
  detail: [
    { name: 'another value', to: () => '{"roles":"administrator"}' },
    { name: 'the same JSON spaced differently', to: (r) => String(r.detail).replace(':', ': ') },
  ],
  prev_hash: [{ name: 'one digit changed', to: (r) => flipHex(String(r.prev_hash)) }],
  hash: [
    { name: 'one digit changed', to: (r) => flipHex(String(r.hash)) },
    { name: 'upper-cased', to: (r) => String(r.hash).toUpperCase() },
  ],
};

const CASES = Object.entries(TAMPERS).flatMap(([column, edits]) => edits.map((edit) => ({ column, ...edit, seq: edit.seq ?? 3 })));

async function tableColumns(): Promise<string[]> {
  const tables = await database.handle.db.introspection.getTables();
  const table = tables.find((t) => t.name === 'audit_log' && (database.handle.schema === undefined || t.schema === database.handle.schema));
  return table!.columns.map((c) => c.name);
}

describe('audit verify catches an edit to any column of any row', () => {
  it('has an edit for every column the table really has', async () => {
    // A column added later and left out of the hash would make this list incomplete: add it
    // here, and the cases below then prove whether the hash covers it.
    expect((await tableColumns()).sort()).toEqual(Object.keys(TAMPERS).sort());
  });

  it.each(CASES)('$column $name breaks the chain at that row', async ({ column, seq, to }) => {
    await writeChain();
    expect(await verify()).toEqual({ code: 0, lines: ['OK: the audit chain holds (5 rows)'] });
    const original = await rawRow(seq);
    const changed = to(original);
    expect(changed).not.toEqual(original[column]);
    await setColumn(seq, column, changed);
    await expectBrokenAt(seq);
    // Put back, the chain holds again: the break came from this one edit.
    await setColumn(column === 'seq' ? Number(changed) : seq, column, original[column]);
    expect((await verify()).code).toBe(0);
  });
});

describe('audit verify catches a row rewritten with a hash that fits its new contents', () => {
  async function rewriteThird(): Promise<string> {
    await writeChain();
    const row = await database.handle.db.selectFrom('auditLog').selectAll().where('seq', '=', 3).executeTakeFirstOrThrow();
    const { hash: _old, ...rest } = row as AuditRow;
    const hash = auditHash({ ...rest, detail: '{"roles":"administrator"}' });
    await database.handle.db.updateTable('auditLog').set({ detail: '{"roles":"administrator"}', hash }).where('seq', '=', 3).execute();
    return hash;
  }

  it('at the next row, which no longer links to it', async () => {
    await rewriteThird();
    await expectBrokenAt(4);
  });

  it('at the next row even when that row is relinked, because each hash covers the link', async () => {
    const hash = await rewriteThird();
    await setColumn(4, 'prev_hash', hash);
    await expectBrokenAt(4);
  });
});

describe('the hash of a row', () => {
  const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const base: Omit<AuditRow, 'hash'> = {
    seq: 3,
    at: '2026-02-01T09:00:03.000Z',
    actorId: 'acct-7',
    actorLabel: 'ana@example.org',
    action: 'account.roles_changed',
    targetType: 'account',
    targetId: 'acct-9',
    detail: '{"roles":"tip_reviewer"}',
    prevHash: 'a'.repeat(64),
  };

  it('changes with every column the table has but the hash itself', async () => {
    await writeChain();
    const fields = (await tableColumns()).filter((c) => c !== 'hash').map(camel);
    expect(fields.sort()).toEqual(Object.keys(base).sort());
    for (const field of fields) {
      const value = base[field as keyof typeof base];
      const changed = { ...base, [field]: typeof value === 'number' ? value + 1 : `${value}x` };
      expect(auditHash(changed), field).not.toBe(auditHash(base));
    }
  });

  it('tells an empty value from a missing one, and where one field ends and the next begins', () => {
    for (const field of ['actorId', 'targetType', 'targetId'] as const) {
      expect(auditHash({ ...base, [field]: null }), field).not.toBe(auditHash({ ...base, [field]: '' }));
    }
    expect(auditHash({ ...base, targetType: 'account', targetId: 'acct-9' })).not.toBe(auditHash({ ...base, targetType: 'accountacct-9', targetId: '' }));
  });
});

describe('audit verify catches rows removed, reordered or a head changed', () => {
  it('a row deleted from the middle', async () => {
    await writeChain();
    await database.handle.db.deleteFrom('auditLog').where('seq', '=', 3).execute();
    await expectBrokenAt(3);
  });

  it('the first row deleted', async () => {
    await writeChain();
    await database.handle.db.deleteFrom('auditLog').where('seq', '=', 1).execute();
    await expectBrokenAt(1);
  });

  it('the last row deleted', async () => {
    await writeChain();
    await database.handle.db.deleteFrom('auditLog').where('seq', '=', 5).execute();
    await expectBrokenAt(5);
  });

  it('two rows swapped in order', async () => {
    await writeChain();
    await setColumn(3, 'seq', -3);
    await setColumn(4, 'seq', 3);
    await setColumn(-3, 'seq', 4);
    expect((await rawRow(3)).action).toBe('tip.recovery_key_refused');
    await expectBrokenAt(3);
  });

  it('a row replaced by a copy of its neighbour', async () => {
    await writeChain();
    const neighbour = await rawRow(2);
    for (const column of ['at', 'actor_id', 'actor_label', 'action', 'target_type', 'target_id', 'detail', 'prev_hash', 'hash']) await setColumn(3, column, neighbour[column]);
    await expectBrokenAt(3);
  });

  const db = () => database.handle.db;
  const headEdits: { name: string; brokenAt: number; edit: () => Promise<unknown> }[] = [
    { name: 'its count lowered', brokenAt: 6, edit: () => db().updateTable('auditHead').set({ seq: 4 }).execute() },
    { name: 'its count raised', brokenAt: 6, edit: () => db().updateTable('auditHead').set({ seq: 6 }).execute() },
    { name: 'its hash changed', brokenAt: 6, edit: () => db().updateTable('auditHead').set({ hash: '0'.repeat(64) }).execute() },
    { name: 'its row deleted', brokenAt: 6, edit: () => db().deleteFrom('auditHead').execute() },
    { name: 'its id changed', brokenAt: 6, edit: () => db().updateTable('auditHead').set({ id: 2 }).execute() },
    {
      name: 'its row deleted along with the last two rows',
      brokenAt: 4,
      edit: async () => {
        await db().deleteFrom('auditLog').where('seq', '>=', 4).execute();
        await db().deleteFrom('auditHead').execute();
      },
    },
  ];
  it.each(headEdits)('the head with $name', async ({ edit, brokenAt }) => {
    await writeChain();
    expect((await verify()).code).toBe(0);
    await edit();
    await expectBrokenAt(brokenAt);
  });

  it('the last row deleted and the head moved back onto the row before it', async () => {
    await writeChain();
    const fourth = await rawRow(4);
    await database.handle.db.deleteFrom('auditLog').where('seq', '=', 5).execute();
    await database.handle.db.updateTable('auditHead').set({ seq: 4 }).execute();
    // Only the head's hash still names the removed row.
    expect((await rawRow(4)).hash).toBe(fourth.hash);
    await expectBrokenAt(5);
  });
});
