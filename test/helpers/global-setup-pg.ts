import pg from 'pg';
import buildAssets from './global-setup.ts';

// The PostgreSQL suite was asked for by name: without a server to run on it fails, never skips.
export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('the PostgreSQL suite needs TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.end();
  await buildAssets();
}
