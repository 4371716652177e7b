import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';

type SecretsTable = { appSecrets: { name: string; value: string; createdAt: string } };

/**
 * A random secret kept in the database, made on first use, shared by every process of the
 * office. It keys HMACs (form tokens, throttle keys), never encryption of personal data.
 */
export async function loadServerSecret(db: Kysely<any>, name: string, now: Date): Promise<Buffer> {
  const q = db as Kysely<SecretsTable>;
  const existing = await q.selectFrom('appSecrets').select('value').where('name', '=', name).executeTakeFirst();
  if (existing) return Buffer.from(existing.value, 'base64');
  const value = randomBytes(32).toString('base64');
  await q.insertInto('appSecrets').values({ name, value, createdAt: now.toISOString() }).onConflict((oc) => oc.column('name').doNothing()).execute();
  // Another process may have won the race: read back whichever value was kept.
  const kept = await q.selectFrom('appSecrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return Buffer.from(kept.value, 'base64');
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
