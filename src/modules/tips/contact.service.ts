import type { Staff } from '../../core/auth/staff.ts';
import type { Context } from '../../core/context.ts';
import { staffTipKey } from './access.service.ts';
import { keyHash, openPartText, openTipKey } from './crypto.ts';
import * as repo from './repo.ts';
import type { TipRow } from './tables.ts';
import { openTip, type TipDetail } from './triage.service.ts';

/**
 * The contact details' key for this staff member. Tips stored before contact details had a key
 * of their own keep them under the tip key; those open only for staff who may see identities too.
 */
async function contactKey(ctx: Context, staff: Staff, row: TipRow): Promise<Uint8Array | undefined> {
  if (!staff.keyPair) return undefined;
  if (!(await repo.hasContactGrants(ctx.db, row.id))) return staffTipKey(ctx, row.id, staff.account.id, staff.keyPair);
  const grant = await repo.findContactGrant(ctx.db, row.id, 'account', staff.account.id);
  if (!grant || grant.holderKey !== keyHash(staff.keyPair.publicKey)) return undefined;
  try {
    return await openTipKey(grant.sealedKey, staff.keyPair);
  } catch {
    return undefined;
  }
}

export type ContactOutcome = { outcome: 'opened'; detail: TipDetail } | { outcome: 'not_found' } | { outcome: 'no_access' };

/**
 * Opens the contact details a tipster gave, for staff whose roles may see identities, with the
 * reason they gave written to the audit row (in the transaction that reads nothing else: the
 * row is there before the details are shown). Refused, and not audited as opened, without
 * the permission or a working contact key.
 */
export async function openTipContact(ctx: Context, staff: Staff, tipId: string, reason: string): Promise<ContactOutcome> {
  if (!staff.permissions.has('tips.identity')) return { outcome: 'no_access' };
  const row = await repo.findTip(ctx.db, tipId);
  if (!row) return { outcome: 'not_found' };
  if (!row.contactBox) return { outcome: 'no_access' };
  const key = await contactKey(ctx, staff, row);
  if (!key) return { outcome: 'no_access' };
  try {
    const contact = await openPartText(key, row.id, 'contact', row.contactBox);
    await ctx.db.transaction().execute((trx) => ctx.audit(trx, { action: 'tip.contact_open', targetType: 'tip', targetId: tipId, detail: { reason } }));
    const detail = await openTip(ctx, staff, tipId);
    return detail ? { outcome: 'opened', detail: { ...detail, contact } } : { outcome: 'not_found' };
  } finally {
    key.fill(0);
  }
}
