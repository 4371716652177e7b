import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHash, recordAudit, verifyAuditChain } from '../../core/audit/audit.ts';
import { contextFor, SYSTEM } from '../../core/context.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, type TestStaff } from '../../../test/helpers/staff.ts';
import { auditVerifyCommand } from './commands.ts';
import { sendAuditAnchor } from './anchor.tsx';

let t: TestApp;
let admin: TestStaff;
const db = () => t.app.services.db;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createStaff(t, ['administrator']);
  await createStaff(t, ['tip_reviewer']);
});
afterAll(async () => t.close());

const append = (action: string) => db().transaction().execute((trx) => recordAudit(trx, t.clock, { actor: SYSTEM, action }));

/** What someone with write access to the database would do: rewrite the last row and the head to match. */
async function rewriteTail(): Promise<void> {
  const last = await db().selectFrom('auditLog').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
  const { hash: _old, ...rest } = { ...last, action: 'test.innocent' };
  const hash = auditHash(rest);
  await db().updateTable('auditLog').set({ action: 'test.innocent', hash }).where('seq', '=', last.seq).execute();
  await db().updateTable('auditHead').set({ hash }).where('id', '=', 1).execute();
}

describe('the audit chain anchored outside the database', () => {
  it('sends the head daily to administrators only, through the outbox, with a log line', async () => {
    await append('test.before_anchor');
    const head = (await sendAuditAnchor(contextFor(t.app.services, SYSTEM), t.app.log))!;
    const mail = await db().selectFrom('outbox').select(['toAddress', 'subject', 'textBody', 'template']).where('template', '=', 'audit.anchor').execute();
    expect(mail.map((m) => m.toAddress)).toEqual([admin.account.email]);
    expect(mail[0]!.subject).toBe(`Audit log anchor for ${(await t.app.services.settings.get()).officeName}: row ${head.seq}`);
    expect(mail[0]!.textBody).toContain(`heatwatch audit verify --anchor ${head.hash}`);
    const line = t.logs.map((l) => JSON.parse(l) as { auditAnchor?: { hash: string; seq: number } }).find((l) => l.auditAnchor);
    expect(line?.auditAnchor).toMatchObject({ seq: head.seq, hash: head.hash });
  });

  it('the daily run anchors the chain as it stood when the office day began: nothing on the first day, the earlier rows the next', async () => {
    const anchorMails = () => db().selectFrom('outbox').select(['textBody']).where('template', '=', 'audit.anchor').execute();
    const before = (await anchorMails()).length;
    await append('test.today');
    await t.app.services.jobs.runDue();
    expect(await anchorMails()).toHaveLength(before);

    const lastOfDay = Number((await db().selectFrom('auditHead').select('seq').executeTakeFirstOrThrow()).seq);
    t.clock.advance(24 * 3600_000);
    await append('test.next_day');
    await t.app.services.jobs.runDue();
    const sent = await anchorMails();
    expect(sent).toHaveLength(before + 1);
    const anchored = await db().selectFrom('auditLog').select('hash').where('seq', '=', lastOfDay).executeTakeFirstOrThrow();
    expect(sent.at(-1)!.textBody).toContain(`heatwatch audit verify --anchor ${anchored.hash}`);
  });

  it('verify --anchor passes while the chain runs through the anchor, and fails once its tail and head were rewritten', async () => {
    await append('test.anchored');
    const anchor = (await db().selectFrom('auditHead').select('hash').executeTakeFirstOrThrow()).hash;
    await append('test.after');
    const lines: string[] = [];
    const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
    expect(await auditVerifyCommand(db(), out, [anchor])).toBe(0);
    expect(lines.pop()).toMatch(/^OK: the audit chain holds \(\d+ rows, through the anchored hash\)$/);

    // The anchored row edited alone: the chain itself breaks.
    await db().updateTable('auditLog').set({ action: 'test.anchored-x' }).where('hash', '=', anchor).execute();
    expect(await auditVerifyCommand(db(), out, [anchor])).toBe(1);
    await db().updateTable('auditLog').set({ action: 'test.anchored' }).where('hash', '=', anchor).execute();

    const seq = Number((await db().selectFrom('auditHead').select('seq').executeTakeFirstOrThrow()).seq);
    const anchoredSeq = (await db().selectFrom('auditLog').select('seq').where('hash', '=', anchor).executeTakeFirstOrThrow()).seq;
    expect(anchoredSeq).toBe(seq - 1);
    // Now rewrite the tail back to the anchored row with the head: internally whole again.
    await db().deleteFrom('auditLog').where('seq', '=', seq).execute();
    await db().updateTable('auditHead').set({ seq: seq - 1 }).where('id', '=', 1).execute();
    await rewriteTail();
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true });
    expect(await auditVerifyCommand(db(), out, [anchor])).toBe(1);
    expect(lines.pop()).toBe(`BROKEN at row ${seq}: the chain no longer passes through the anchored hash ${anchor}: rows were rewritten or removed (${seq - 1} rows before it hold)`);
  });
});
