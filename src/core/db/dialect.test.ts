import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import type { Db } from '../../database.ts';
import { forUpdate, likeText } from './dialect.ts';

let database: TestDatabase;
let db: Db;

// A table of this test only, so the rows it matches are the rows it made.
type WordsTable = { testWords: { word: string } };
const words = () => db.withTables<WordsTable>();
const WORDS = ['50% off', '50 off', 'a_b', 'axb', 'back\\slash', 'backslash', 'prefix.rest', 'other prefix.'];

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.handle.db;
  await db.schema.createTable('test_words').addColumn('word', 'text', (c) => c.notNull()).execute();
  await words().insertInto('testWords').values(WORDS.map((word) => ({ word }))).execute();
});
afterAll(async () => database.close());

const matching = async (text: string, match: 'contains' | 'prefix') =>
  (await words().selectFrom('testWords').select('word').where(likeText('word', text, match)).execute()).map((r) => r.word).sort();

describe('likeText', () => {
  it('matches %, _ and \\ in the text as themselves, not as wildcards', async () => {
    expect(await matching('0% o', 'contains')).toEqual(['50% off']);
    expect(await matching('a_b', 'contains')).toEqual(['a_b']);
    expect(await matching('k\\s', 'contains')).toEqual(['back\\slash']);
  });

  it('anchors a prefix at the start of the column', async () => {
    expect(await matching('prefix.', 'prefix')).toEqual(['prefix.rest']);
    expect(await matching('prefix.', 'contains')).toEqual(['other prefix.', 'prefix.rest']);
  });
});

describe('forUpdate', () => {
  it('locks rows on PostgreSQL, with SKIP LOCKED when asked, and adds nothing on SQLite', () => {
    const query = words().selectFrom('testWords').select('word');
    expect(query.$call(forUpdate('postgres')).compile().sql).toMatch(/ for update$/);
    expect(query.$call(forUpdate('postgres', { skipLocked: true })).compile().sql).toMatch(/ for update skip locked$/);
    expect(query.$call(forUpdate('sqlite', { skipLocked: true })).compile().sql).not.toMatch(/for update/);
  });

  it('runs inside a transaction on this database', async () => {
    const read = await db.transaction().execute((trx) =>
      trx.withTables<WordsTable>().selectFrom('testWords').select('word').where('word', '=', 'axb').$call(forUpdate(database.handle.dialect, { skipLocked: true })).execute(),
    );
    expect(read).toEqual([{ word: 'axb' }]);
  });
});
