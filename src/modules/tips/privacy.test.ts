import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom, signIn, type SignedIn } from '../../../test/helpers/staff.ts';
import { createOfficeKey, multipart, type Part, receiptFrom } from './testing.ts';

/**
 * Proof that nothing a tipster writes or sends, and nothing about who sent it, is stored or
 * logged in the clear: a unique marker goes into every field and file of a tip (inside an
 * image's EXIF and a PDF too), the client comes from 127.0.0.1 with a unique user agent and
 * referrer, and afterwards the database (raw SQLite bytes with its WAL, or every table of the
 * PostgreSQL schema), the data folder and every log line are searched byte by byte.
 */
const MARKER = `TIPMARK${randomBytes(8).toString('hex')}`;
const AGENT = `UAMARK${randomBytes(8).toString('hex')}`;
const REFERRER = `https://referrer.example/REFMARK${randomBytes(8).toString('hex')}`;
const CLIENT = '127.0.0.1';
const client = { 'user-agent': AGENT, referer: REFERRER, 'x-forwarded-for': '127.0.0.1' };

let t: TestApp;
let reviewer: SignedIn;

const TEXT_FIELDS = ['whatHappened', 'whereAddress', 'whereCity', 'whereBusiness', 'whereDetails', 'when', 'peopleCount', 'peopleAges', 'signsOther', 'vehicles', 'phones', 'online', 'contactDetails'];

async function markedFiles() {
  const jpeg = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#336699' } })
    .jpeg()
    .withExif({ IFD0: { ImageDescription: MARKER, Artist: MARKER, Copyright: MARKER }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '37/1 48/1 15/1', GPSLongitudeRef: 'W', GPSLongitude: '122/1 16/1 17/1' } })
    .toBuffer();
  expect(jpeg.includes(MARKER)).toBe(true);
  const pdf = Buffer.from(`%PDF-1.4\n1 0 obj << /Title (${MARKER}) /Author (${MARKER}) >> endobj\nBT (${MARKER}) Tj ET\n%%EOF\n`);
  return [
    { filename: `${MARKER}-photo.jpg`, type: 'image/jpeg', data: jpeg },
    { filename: `${MARKER}.pdf`, type: 'application/pdf', data: pdf },
  ];
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Every byte the office keeps: database (raw file and WAL, or every table's rows), data folder, logs. */
async function everythingStored(): Promise<{ where: string; bytes: Buffer }[]> {
  const found: { where: string; bytes: Buffer }[] = [];
  const handle = t.db.handle;
  if (handle.dialect === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      const file = `${handle.file}${suffix}`;
      if (fs.existsSync(file)) found.push({ where: path.basename(file), bytes: fs.readFileSync(file) });
    }
  }
  // The rows as a dump would print them (pg_dump's COPY is text): every column of every table.
  const tables =
    handle.dialect === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(handle.db)).rows.map((r) => r.name)
      : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = ${handle.schema!}`.execute(handle.db)).rows.map((r) => r.name);
  expect(tables).toEqual(expect.arrayContaining(['tips', 'tip_grants', 'tip_messages', 'tip_notes', 'tip_attachments', 'audit_log', 'jobs', 'outbox']));
  for (const table of tables) {
    const rows = await sql`select * from ${sql.table(table)}`.execute(handle.db);
    found.push({ where: `table ${table}`, bytes: Buffer.from(JSON.stringify(rows.rows)) });
  }
  for (const file of filesUnder(t.config.dataDir)) found.push({ where: file, bytes: fs.readFileSync(file) });
  found.push({ where: 'logs', bytes: Buffer.from(t.logs.join('')) });
  return found;
}

const wherever = async (needle: string) => (await everythingStored()).filter((f) => f.bytes.includes(needle)).map((f) => f.where);

beforeAll(async () => {
  t = await createTestApp({ env: { BASE_URL: 'https://tips.example.org', TRUST_PROXY: 'true' } });
  await createOfficeKey(t);
  reviewer = await signIn(t, await createStaff(t, ['tip_reviewer']));
});
afterAll(async () => t.close());

describe('a tip full of markers, from 127.0.0.1', () => {
  const answers: { statusCode: number; headers: Record<string, unknown> }[] = [];
  let tipId: string;
  let receipt: string;

  beforeAll(async () => {
    const fields: Record<string, string | string[]> = { kind: 'sex', minor: 'yes', danger: 'yes', contactMode: 'details', signs: ['debt', 'fearful'] };
    for (const name of TEXT_FIELDS) fields[name] = `${name}: ${MARKER}`;
    const form = await t.app.inject({ url: '/tip', remoteAddress: CLIENT, headers: client });
    const parts: Part[] = [['_csrf', csrfFrom(form.body)]];
    for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) parts.push([name, v]);
    for (const file of await markedFiles()) parts.push(['files', file]);
    const body = multipart(parts);
    const res = await t.app.inject({ method: 'POST', url: '/tip', remoteAddress: CLIENT, payload: body.payload, headers: { ...body.headers, ...client } });
    expect(res.statusCode).toBe(200);
    receipt = receiptFrom(res.body);
    tipId = (await t.app.services.db.selectFrom('tips').select('id').executeTakeFirstOrThrow()).id;

    // The tipster comes back, writes and attaches a file; a wrong code first, to be throttled.
    const followUp = await t.app.inject({ url: '/tip/follow-up', remoteAddress: CLIENT, headers: client });
    await t.app.inject({ method: 'POST', url: '/tip/follow-up', remoteAddress: CLIENT, headers: client, payload: { receipt: '0000000000000000', _csrf: csrfFrom(followUp.body) } });
    const opened = await t.app.inject({ method: 'POST', url: '/tip/follow-up', remoteAddress: CLIENT, headers: client, payload: { receipt, _csrf: csrfFrom(followUp.body) } });
    expect(opened.statusCode).toBe(200);
    const [photo] = await markedFiles();
    const message = multipart([['_csrf', csrfFrom(opened.body)], ['receipt', receipt], ['message', `message: ${MARKER}`], ['files', photo!]]);
    const sent = await t.app.inject({ method: 'POST', url: '/tip/follow-up/message', remoteAddress: CLIENT, payload: message.payload, headers: { ...message.headers, ...client } });
    expect(sent.statusCode).toBe(200);

    // A broken upload on a tip route: its error must not be reported with what it carried.
    answers.push(form, res, followUp, opened, sent);
    for (const url of ['/es/tip', '/es/tip/follow-up']) answers.push(await t.app.inject({ url, remoteAddress: CLIENT, headers: client }));
    const broken = Buffer.from(`--xyz\r\nContent-Disposition: form-data; name="whatHappened"\r\n\r\n${MARKER}`);
    const failed = await t.app.inject({ method: 'POST', url: '/tip', remoteAddress: CLIENT, payload: broken, headers: { 'content-type': 'multipart/form-data; boundary=xyz', ...client } });
    expect(failed.statusCode).toBe(400);
    answers.push(failed);
    expect(failed.body).not.toContain(MARKER);

    // Staff work on the tip: a note, tags, a reply; then notifications go out and mail is delivered.
    await reviewer.get(`/console/tips/${tipId}`);
    await reviewer.post(`/console/tips/${tipId}/notes`, { note: `note: ${MARKER}` }, `/console/tips/${tipId}`);
    await reviewer.post(`/console/tips/${tipId}/tags`, { tags: `tag-${MARKER}` }, `/console/tips/${tipId}`);
    await reviewer.post(`/console/tips/${tipId}/reply`, { reply: `reply: ${MARKER}` }, `/console/tips/${tipId}`);
    t.clock.advance(61_000);
    await t.app.services.jobs.runDue();
    await t.app.services.jobs.runDue();
  });

  it('can still be read in full by the reviewer, so the markers really went in', async () => {
    // The contact details open on their own, with a reason: the page then shows everything.
    const page = await reviewer.post(`/console/tips/${tipId}/contact`, { reason: 'privacy test' }, `/console/tips/${tipId}`);
    expect(page.statusCode).toBe(200);
    for (const name of TEXT_FIELDS) expect(page.body).toContain(`${name}: ${MARKER}`);
    expect(page.body).toContain(`message: ${MARKER}`);
    expect(page.body).toContain(`note: ${MARKER}`);
    expect(page.body).toContain(`tag-${MARKER}`);
    expect(page.body).toContain(`${MARKER}.pdf`);
    const outbox = await t.app.services.db.selectFrom('outbox').select(['subject', 'state']).execute();
    expect(outbox.length).toBeGreaterThan(0);
  });

  it('set no cookie and allowed no caching on any tip-line answer', () => {
    expect(answers).toHaveLength(8);
    for (const res of answers) {
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('leaves no marker in the database, the data folder or the logs', async () => {
    const stored = await everythingStored();
    expect(stored.some((s) => s.where === 'logs' && s.bytes.length > 0)).toBe(true);
    // The search does find what is there: the tip's id, in its table and in the raw database bytes.
    const places = await wherever(tipId);
    expect(places).toContain('table tips');
    if (t.db.handle.dialect === 'sqlite') expect(places.some((p) => p.startsWith('heatwatch.db'))).toBe(true);
    expect(await wherever(MARKER)).toEqual([]);
    // Not even a short piece of it (an index or a log line cut short).
    expect(await wherever(MARKER.slice(0, 14))).toEqual([]);
  });

  it('stores and logs no client address, user agent or referrer', async () => {
    expect(await wherever(CLIENT)).toEqual([]);
    expect(await wherever(AGENT)).toEqual([]);
    expect(await wherever(REFERRER.slice(8))).toEqual([]);
  });

  it('writes no request log line for a tip route, whose time would date the visit', async () => {
    const lines = t.logs.join('');
    expect(lines).toContain('"route":"/console/tips/:id"');
    expect(lines).not.toMatch(/"route":"(\/es)?\/tip/);
  });

  it('keeps the receipt code only as an argon2id-derived lookup', async () => {
    expect(await wherever(receipt)).toEqual([]);
    expect(await wherever(receipt.slice(0, 8))).toEqual([]);
  });

  it('keeps the time a tip arrived to the hour only', async () => {
    const row = await t.app.services.db.selectFrom('tips').select(['receivedAt']).where('id', '=', tipId).executeTakeFirstOrThrow();
    expect(row.receivedAt).toMatch(/T\d\d:00:00\.000Z$/);
    const messages = await t.app.services.db.selectFrom('tipMessages').select('at').where('tipId', '=', tipId).execute();
    for (const m of messages) expect(m.at).toMatch(/T\d\d:00:00\.000Z$/);
    // No audit row, job or e-mail names the tip or dates the submission.
    const audit = await t.app.services.db.selectFrom('auditLog').select(['action', 'actorId']).where('targetId', '=', tipId).execute();
    expect(audit.every((a: { actorId: string | null }) => a.actorId !== null)).toBe(true);
    expect(await wherever(`"${tipId}"`)).not.toContain('table jobs');
    expect((await wherever(tipId)).filter((w) => w.startsWith('table outbox') || w.includes('outbox'))).toEqual([]);
  });
});
