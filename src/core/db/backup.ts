import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { z } from 'zod';
import type { DialectName } from './connect.ts';

/**
 * A backup is one file: a first line naming the format, a second line holding the manifest as
 * JSON (so `head -2 FILE` shows it without any tool), then the database itself: SQLite's own file
 * made by `VACUUM INTO`, or `pg_dump`'s custom format. The database holds tips, attachments and
 * tip keys as ciphertext only; what opens them (the office recovery key, staff passwords) is not
 * in it.
 */
export const BACKUP_MAGIC = 'HEATWATCH-BACKUP 1';

export const manifestSchema = z.object({
  format: z.literal(1),
  appVersion: z.string(),
  dialect: z.enum(['sqlite', 'postgres']),
  createdAt: z.string(),
  /** The migrations the copied database had run, in order. */
  migrations: z.array(z.string()),
  /** The audit chain's head in the copy: a point the live chain must keep passing through. */
  auditHead: z.object({ seq: z.number().int().nonnegative(), hash: z.string().regex(/^[0-9a-f]{64}$/) }),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

export class BackupError extends Error {}

/** `schema`: dump only this PostgreSQL schema (the one search_path names), not the whole database. */
export type BackupSource = { dialect: DialectName; file: string | undefined; url: string; schema?: string | undefined };

type Snapshot = { migrations: string[]; auditHead: { seq: number; hash: string } };

/** What the copy's own tables say: read from the copy (SQLite) or inside the dump's snapshot. */
const SNAPSHOT_SQL = {
  head: 'select seq, hash from audit_head where id = 1',
  migrations: 'select name from kysely_migration order by name',
};

function draftPath(file: string): string {
  return `${file}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

/** libpq's variables for a `postgres://` URL: a password in argv would show in every process list. */
export function pgEnvironment(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env, PGHOST: decodeURIComponent(u.hostname) || 'localhost', PGPORT: u.port || '5432', PGDATABASE: decodeURIComponent(u.pathname.slice(1)) };
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, input?: fs.ReadStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', (error) => reject(new BackupError(`${command} could not start (${error.message}); install the PostgreSQL client tools`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new BackupError(`${command} failed (exit ${code}): ${stderr.trim()}`))));
    if (input) {
      input.on('error', reject);
      input.pipe(child.stdin!);
    }
  });
}

/** SQLite: `VACUUM INTO` copies one consistent read snapshot while the server keeps writing. */
function copySqlite(file: string, draft: string): Snapshot {
  const live = new DatabaseSync(file, { timeout: 5000 });
  try {
    live.prepare('vacuum into ?').run(draft);
  } finally {
    live.close();
  }
  const copy = new DatabaseSync(draft, { readOnly: true });
  try {
    const head = copy.prepare(SNAPSHOT_SQL.head).get() as { seq: number; hash: string } | undefined;
    const names = copy.prepare(SNAPSHOT_SQL.migrations).all() as { name: string }[];
    if (!head) throw new BackupError('the database has no audit chain head: is it a HEAT Watch database?');
    return { auditHead: { seq: Number(head.seq), hash: head.hash }, migrations: names.map((n) => n.name) };
  } finally {
    copy.close();
  }
}

/**
 * PostgreSQL: a read-only repeatable-read transaction exports its snapshot, the manifest is read
 * in it, and `pg_dump --snapshot` dumps exactly that state, so the manifest's audit head is the
 * dump's own head even while tips keep arriving.
 */
async function copyPostgres(url: string, schema: string | undefined, draft: string): Promise<Snapshot> {
  const client = new pg.Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const snapshot = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]!.id;
    const head = (await client.query<{ seq: string | number; hash: string }>(SNAPSHOT_SQL.head)).rows[0];
    const names = (await client.query<{ name: string }>(SNAPSHOT_SQL.migrations)).rows;
    if (!head) throw new BackupError('the database has no audit chain head: is it a HEAT Watch database?');
    await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snapshot}`, ...(schema ? [`--schema=${schema}`] : []), `--file=${draft}`], pgEnvironment(url));
    await client.query('commit');
    return { auditHead: { seq: Number(head.seq), hash: head.hash }, migrations: names.map((n) => n.name) };
  } finally {
    await client.end();
  }
}

/** Writes a backup of the running database to `target` (refusing to overwrite a file) and returns its manifest. */
export async function createBackup(source: BackupSource, target: string, meta: { appVersion: string; now: Date }): Promise<BackupManifest> {
  const out = path.resolve(target);
  if (fs.existsSync(out)) throw new BackupError(`${out} exists already; a backup never overwrites a file`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const payload = draftPath(out);
  const draft = draftPath(out);
  try {
    let snapshot: Snapshot;
    if (source.dialect === 'sqlite') {
      if (!source.file) throw new BackupError('an in-memory database cannot be backed up');
      snapshot = copySqlite(source.file, payload);
    } else {
      snapshot = await copyPostgres(source.url, source.schema, payload);
    }
    const manifest: BackupManifest = {
      format: 1,
      appVersion: meta.appVersion,
      dialect: source.dialect,
      createdAt: meta.now.toISOString(),
      ...snapshot,
      bytes: fs.statSync(payload).size,
      sha256: await fileSha256(payload),
    };
    // The file holds ciphertext, but still only the server's user reads it.
    const fd = fs.openSync(draft, 'wx', 0o600);
    try {
      fs.writeSync(fd, `${BACKUP_MAGIC}\n${JSON.stringify(manifest)}\n`);
    } finally {
      fs.closeSync(fd);
    }
    await pipeline(fs.createReadStream(payload), fs.createWriteStream(draft, { flags: 'a' }));
    fs.linkSync(draft, out);
    return manifest;
  } finally {
    fs.rmSync(payload, { force: true });
    fs.rmSync(draft, { force: true });
  }
}

/** The manifest of a backup file and where its database begins, checked against the payload's hash. */
export async function readBackup(file: string): Promise<{ manifest: BackupManifest; offset: number }> {
  const fd = fs.openSync(file, 'r');
  let head: string;
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, read).toString('latin1');
  } finally {
    fs.closeSync(fd);
  }
  const first = head.indexOf('\n');
  const second = head.indexOf('\n', first + 1);
  if (first < 0 || second < 0 || head.slice(0, first) !== BACKUP_MAGIC) throw new BackupError(`${file} is not a HEAT Watch backup`);
  let manifest: BackupManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(Buffer.from(head.slice(first + 1, second), 'latin1').toString('utf8')));
  } catch {
    throw new BackupError(`${file} has an unreadable manifest`);
  }
  const offset = second + 1;
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file, { start: offset }), hash);
  if (hash.digest('hex') !== manifest.sha256 || fs.statSync(file).size - offset !== manifest.bytes) {
    throw new BackupError(`${file} is damaged or incomplete: its database does not match the manifest's checksum`);
  }
  return { manifest, offset };
}

/** Tables in the target's current schema (PostgreSQL) or file (SQLite); restore needs none. */
async function targetTables(target: BackupSource): Promise<number> {
  if (target.dialect === 'sqlite') {
    if (!target.file || !fs.existsSync(target.file) || fs.statSync(target.file).size === 0) return 0;
    const db = new DatabaseSync(target.file, { readOnly: true });
    try {
      return Number((db.prepare("select count(*) as n from sqlite_master where type = 'table'").get() as { n: number }).n);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("select count(*) as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')");
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

/**
 * Restores a backup into an empty database of the same kind: SQLite into a database file that
 * does not exist yet, PostgreSQL into a database without tables (`createdb` makes one). Refuses
 * anything else, so a restore never mixes with, or replaces, live data.
 */
export async function restoreBackup(file: string, target: BackupSource): Promise<BackupManifest> {
  const { manifest, offset } = await readBackup(file);
  if (manifest.dialect !== target.dialect) {
    throw new BackupError(`this backup is of a ${manifest.dialect} database; DATABASE_URL names a ${target.dialect} one`);
  }
  const tables = await targetTables(target);
  if (tables > 0) throw new BackupError(`the target database is not empty (${tables} tables); restore only into a new, empty database`);
  if (target.dialect === 'sqlite') {
    if (!target.file) throw new BackupError('restore needs a database file, not :memory:');
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${target.file}${suffix}`, { force: true });
    fs.mkdirSync(path.dirname(target.file), { recursive: true });
    const draft = draftPath(target.file);
    try {
      await pipeline(fs.createReadStream(file, { start: offset }), fs.createWriteStream(draft, { flags: 'wx', mode: 0o600 }));
      const db = new DatabaseSync(draft);
      try {
        const check = db.prepare('pragma integrity_check').get() as { integrity_check: string };
        if (check.integrity_check !== 'ok') throw new BackupError(`the restored database fails SQLite's integrity check: ${check.integrity_check}`);
      } finally {
        db.close();
      }
      // Linked into place: a server started meanwhile never opens half a file.
      fs.linkSync(draft, target.file);
    } finally {
      fs.rmSync(draft, { force: true });
    }
  } else {
    const env = pgEnvironment(target.url);
    await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${env.PGDATABASE}`], env, fs.createReadStream(file, { start: offset }));
  }
  return manifest;
}
