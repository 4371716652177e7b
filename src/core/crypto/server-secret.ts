import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../database.ts';

export type SecretsTables = { appSecrets: { name: string; value: string; createdAt: string } };

/**
 * A random secret kept in the database, made on first use, shared by every process of the
 * office. It keys HMACs (form tokens, throttle keys), never encryption of personal data.
 */
export async function loadServerSecret(db: Db, name: string, now: Date): Promise<Buffer> {
  const existing = await db.selectFrom('appSecrets').select('value').where('name', '=', name).executeTakeFirst();
  if (existing) return Buffer.from(existing.value, 'base64');
  const value = randomBytes(32).toString('base64');
  await db.insertInto('appSecrets').values({ name, value, createdAt: now.toISOString() }).onConflict((oc) => oc.column('name').doNothing()).execute();
  // Another process may have won the race: read back whichever value was kept.
  const kept = await db.selectFrom('appSecrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return Buffer.from(kept.value, 'base64');
}

/** Stores a value the caller made (a one-time token's hash) under `name`, replacing any earlier one. */
export async function replaceAppSecret(db: Db, name: string, value: string, now: Date): Promise<void> {
  await db.deleteFrom('appSecrets').where('name', '=', name).execute();
  await db.insertInto('appSecrets').values({ name, value, createdAt: now.toISOString() }).execute();
}

/** The value stored under `name`, or undefined. */
export async function findAppSecret(db: Db, name: string): Promise<string | undefined> {
  return (await db.selectFrom('appSecrets').select('value').where('name', '=', name).executeTakeFirst())?.value;
}

/** Removes the value stored under `name`, if any. */
export async function deleteAppSecret(db: Db, name: string): Promise<void> {
  await db.deleteFrom('appSecrets').where('name', '=', name).execute();
}

export function hmac(secret: Buffer, ...parts: string[]): string {
  return createHmac('sha256', secret).update(parts.join('\u0000')).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** A random identifier for rows: 128 bits, URL-safe, not guessable and not ordered. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}
