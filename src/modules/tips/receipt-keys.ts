import { loadServerSecret } from '../../core/crypto/server-secret.ts';
import type { Context } from '../../core/context.ts';
import { receiptSecrets } from './crypto.ts';

/**
 * What a receipt code derives: the lookup that finds its tip and the key that opens the tipster's
 * copy of the tip key. The office's receipt salt is read once, when the module registers, and
 * stays inside: services receive the derivation, never the salt, so their context is the same
 * one every module takes.
 */
export type ReceiptKeys = { derive(receipt: string): Promise<{ lookup: string; key: Uint8Array }> };

/** The office's receipt keys: the salt is made on first use and shared by every process through the database. */
export async function loadReceiptKeys(ctx: Pick<Context, 'db' | 'clock'>): Promise<ReceiptKeys> {
  const salt = await loadServerSecret(ctx.db, 'tips.receipt_salt', ctx.clock.now());
  return { derive: (receipt) => receiptSecrets(receipt, salt) };
}
