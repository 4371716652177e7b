import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../../database.ts';
import * as keys from './photo-key.repo.ts';
import { casePhotoContext, openPhoto, sealPhoto } from './photos.ts';

const KEY_BYTES = 32;
const RESEAL_BATCH = 50;

/** Where the photo key lives: in `DATA_DIR`, never in the database that holds the photos. */
export function photoKeyPath(dataDir: string): string {
  return path.join(dataDir, 'keys', 'map1193-photos.key');
}

/**
 * The key report and visit photos are sealed with, read from `DATA_DIR/keys` and made there on
 * first start (readable by the server's user only). A dump of the database alone then opens no
 * photo; a backup must carry this file as well, and every process of the office must see the same
 * one. A damaged file stops the start rather than being replaced: a new key would lose every photo.
 */
export async function loadPhotoKey(dataDir: string): Promise<Uint8Array> {
  const file = photoKeyPath(dataDir);
  const existing = await readKeyFile(file);
  if (existing) return existing;
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written aside and linked into place, so a process starting at the same moment never reads half a key.
  const draft = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  await fs.writeFile(draft, randomBytes(KEY_BYTES).toString('base64'), { mode: 0o600, flag: 'wx' });
  try {
    await fs.link(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.rm(draft, { force: true });
  }
  const made = await readKeyFile(file);
  if (!made) throw new Error(`photo key ${file} vanished while it was being made`);
  return made;
}

async function readKeyFile(file: string): Promise<Uint8Array | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`photo key ${file} is not ${KEY_BYTES} bytes of base64`);
  return new Uint8Array(key);
}

/**
 * Photos sealed before the key left the database are opened with the old key and sealed again
 * with `key`, and the old key's row is deleted, all in one transaction: either every photo
 * opens with the new key or nothing changed. A photo the new key already opens is left as it
 * is; one neither key opens is counted, not fatal, so one damaged row cannot stop every start.
 */
export async function resealLegacyPhotos(db: Db, key: Uint8Array): Promise<{ resealed: number; unreadable: number }> {
  return db.transaction().execute(async (trx) => {
    const counts = { resealed: 0, unreadable: 0 };
    const legacy = await keys.takeLegacyPhotoKey(trx);
    if (legacy === undefined) return counts;
    const old = new Uint8Array(Buffer.from(legacy, 'base64'));
    const kinds = [
      { page: keys.reportPhotoPage, update: keys.updateReportPhotoData, context: (id: string) => id },
      { page: keys.casePhotoPage, update: keys.updateCasePhotoData, context: casePhotoContext },
    ];
    for (const kind of kinds) {
      for (let after = '', rows = await kind.page(trx, after, RESEAL_BATCH); rows.length > 0; rows = await kind.page(trx, after, RESEAL_BATCH)) {
        for (const row of rows) {
          const bytes = await openPhoto(old, kind.context(row.id), row.data).catch(() => undefined);
          if (bytes) {
            await kind.update(trx, row.id, await sealPhoto(key, kind.context(row.id), bytes));
            bytes.fill(0);
            counts.resealed += 1;
          } else if (!(await openPhoto(key, kind.context(row.id), row.data).then((b) => (b.fill(0), true), () => false))) {
            counts.unreadable += 1;
          }
        }
        after = rows[rows.length - 1]!.id;
      }
    }
    old.fill(0);
    return counts;
  });
}
