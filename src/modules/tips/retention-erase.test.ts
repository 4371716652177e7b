import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { testDialect } from '../../../test/helpers/database.ts';
import { createStaff, signIn, type TestStaff } from '../../../test/helpers/staff.ts';
import { basicTip, createOfficeKey, postTip } from './testing.ts';

const DAY = 24 * 3600_000;
let t: TestApp;
let reviewer: TestStaff;
const db = () => t.app.services.db;

beforeAll(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
  reviewer = await createStaff(t, ['tip_reviewer']);
});
afterAll(async () => t.close());

/** What opens the tip, and its ciphertext, as stored: the strings to look for in the files. */
async function secretsOf(id: string) {
  const tip = await db().selectFrom('tips').select(['receiptLookup', 'receiptKeyBox', 'answersBox']).where('id', '=', id).executeTakeFirstOrThrow();
  const grants = await db().selectFrom('tipGrants').select('sealedKey').where('tipId', '=', id).execute();
  expect(grants.length).toBeGreaterThanOrEqual(2);
  return { sealedKeys: grants.map((g) => g.sealedKey), receipt: [tip.receiptLookup, tip.receiptKeyBox], ciphertext: [tip.answersBox] };
}

/** A closed tip whose retention period has ended, and what was stored of it. */
async function expiredTip() {
  const before = new Set((await db().selectFrom('tips').select('id').execute()).map((r) => r.id));
  await postTip(t, basicTip({ whatHappened: 'A tip that retention will erase from the disk too.' }));
  const id = (await db().selectFrom('tips').select('id').execute()).map((r) => r.id).find((x) => !before.has(x))!;
  const secrets = await secretsOf(id);
  const session = await signIn(t, reviewer);
  await session.get(`/console/tips/${id}`);
  await session.post(`/console/tips/${id}/status`, { to: 'in_review' }, `/console/tips/${id}`);
  await session.post(`/console/tips/${id}/status`, { to: 'closed', disposition: 'not_trafficking' }, `/console/tips/${id}`);
  t.clock.advance(366 * DAY);
  return { id, secrets };
}

const found = (bytes: Buffer, values: string[]) => values.filter((v) => bytes.includes(Buffer.from(v)));

it.runIf(testDialect() === 'sqlite')('leaves none of a deleted tip in the SQLite file or its WAL', async () => {
  const { id, secrets } = await expiredTip();
  const file = path.join(t.db.dir, 'heatwatch.db');
  const all = [...secrets.sealedKeys, ...secrets.receipt, ...secrets.ciphertext];
  const onDisk = () => Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
  // Proof that the search reads the right files: the tip is there before the job.
  expect(found(onDisk(), all)).toEqual(all);
  await t.app.services.jobs.runDue();
  expect(await db().selectFrom('tips').select('id').where('id', '=', id).execute()).toEqual([]);
  expect(found(onDisk(), all)).toEqual([]);
});

it.runIf(testDialect() === 'postgres')("leaves none of a deleted tip's sealed keys in PostgreSQL's file for the grants table", async (context) => {
  const { id, secrets } = await expiredTip();
  const dataDir = (await sql<{ d: string }>`select current_setting('data_directory') as d`.execute(db())).rows[0]!.d;
  const grantsFile = async () => {
    await sql`checkpoint`.execute(db());
    const rel = (await sql<{ p: string }>`select pg_relation_filepath('tip_grants') as p`.execute(db())).rows[0]!.p;
    return path.join(dataDir, rel);
  };
  const read = async () => {
    const main = await grantsFile();
    try {
      fs.accessSync(main, fs.constants.R_OK);
    } catch {
      context.skip(`PostgreSQL's data directory (${dataDir}) is not readable by this user; run as root or as postgres to check its files`);
    }
    // Every segment of the relation's main fork: `file`, `file.1`, …
    const segments = fs.readdirSync(path.dirname(main)).filter((n) => n === path.basename(main) || n.startsWith(`${path.basename(main)}.`));
    return Buffer.concat(segments.map((n) => fs.readFileSync(path.join(path.dirname(main), n))));
  };
  expect(found(await read(), secrets.sealedKeys)).toEqual(secrets.sealedKeys);
  await t.app.services.jobs.runDue();
  expect(await db().selectFrom('tipGrants').select('tipId').where('tipId', '=', id).execute()).toEqual([]);
  expect(found(await read(), secrets.sealedKeys)).toEqual([]);
  // A checkpoint waits for every database on the server: on a busy one it takes a while.
}, 120_000);
