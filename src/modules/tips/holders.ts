import type { Context } from '../../core/context.ts';
import { fromBase64 } from '../../core/crypto/sodium.ts';
import { accountsWithPermission, tipReaders } from '../accounts/index.ts';

export type Holder = { id: string; publicKey: Uint8Array };

/** Accounts a new tip's key is sealed to: exactly the active accounts whose roles hold `tips.read`. */
export async function tipHolders(ctx: Context): Promise<Holder[]> {
  return (await tipReaders(ctx)).map((r) => ({ id: r.id, publicKey: r.publicKey }));
}

/**
 * Accounts a new tip's contact key is sealed to: those whose roles hold `tips.identity` and
 * `tips.read` (seeing who sent a tip is no use without being allowed to read it).
 */
export async function identityHolders(ctx: Context): Promise<Holder[]> {
  const readers = new Set((await tipReaders(ctx)).map((r) => r.id));
  const rows = await accountsWithPermission(ctx, 'tips.identity');
  return rows.filter((r) => readers.has(r.id)).map((r) => ({ id: r.id, publicKey: fromBase64(r.publicKey) }));
}
