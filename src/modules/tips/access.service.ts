import type { Staff } from '../../core/auth/staff.ts';
import type { Context } from '../../core/context.ts';
import type { KeyPair } from '../../core/crypto/sodium.ts';
import type { Db } from '../../database.ts';
import { accountKeyInfo, officePublicKey, tipReaders, unlockOfficeKey } from '../accounts/index.ts';
import { keyHash, openTipKey, sealTipKey } from './crypto.ts';
import * as repo from './repo.ts';
import type { GrantRow } from './tables.ts';

export type Reader = { id: string; displayName: string; email: string; publicKey: Uint8Array };

/** Active accounts that may read tips, with names for menus. */
export async function readerDirectory(ctx: Context): Promise<Reader[]> {
  const readers = await tipReaders(ctx);
  const named: Reader[] = [];
  for (const r of readers) {
    const info = await accountKeyInfo(ctx, r.id);
    named.push({ id: r.id, email: r.email, publicKey: r.publicKey, displayName: info?.displayName ?? r.email });
  }
  return named.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

async function openGrant(grant: GrantRow | undefined, keyPair: KeyPair): Promise<Uint8Array | undefined> {
  // A grant sealed to keys the holder no longer has cannot open: it needs a re-grant.
  if (!grant || grant.holderKey !== keyHash(keyPair.publicKey)) return undefined;
  try {
    return await openTipKey(grant.sealedKey, keyPair);
  } catch {
    return undefined;
  }
}

/** The tip key through a staff member's own grant, or undefined (no grant, or one sealed to replaced keys). */
export async function staffTipKey(ctx: Context, tipId: string, accountId: string, keyPair: KeyPair): Promise<Uint8Array | undefined> {
  return openGrant(await repo.findGrant(ctx.db, tipId, 'account', accountId), keyPair);
}

export type OfficeKey = Awaited<ReturnType<typeof officePublicKey>>;

/** The office's current recovery public key; read it before a transaction (SQLite has one connection). */
export const currentOfficeKey = (ctx: Context): Promise<OfficeKey> => officePublicKey(ctx);

/**
 * Keeps the office's current recovery key among a tip's holders. Tips are sealed to it at
 * submission; after the office key is replaced, the next staff member who opens a tip seals it
 * to the new one, so the recovery key keeps opening every tip.
 */
export async function ensureOfficeGrant(ctx: Context, trx: Db, office: OfficeKey, tipId: string, tipKey: Uint8Array): Promise<void> {
  if (!office) return;
  const existing = await repo.findGrant(trx, tipId, 'office', office.id);
  if (existing && existing.holderKey === keyHash(office.publicKey)) return;
  await repo.upsertGrant(trx, {
    tipId,
    holderType: 'office',
    holderId: office.id,
    sealedKey: await sealTipKey(tipKey, office.publicKey),
    holderKey: keyHash(office.publicKey),
    grantedBy: ctx.actor.id,
    grantedAt: ctx.clock.now().toISOString(),
  });
}

export type AccessState = 'ok' | 'stale' | 'missing';

/** Every reader and whether they can open this tip: for the sharing panel of a tip. */
export async function tipAccess(ctx: Context, tipId: string): Promise<(Reader & { state: AccessState })[]> {
  const [readers, grants] = await Promise.all([readerDirectory(ctx), repo.grantsOfTip(ctx.db, tipId)]);
  return readers.map((r) => {
    const grant = grants.find((g) => g.holderType === 'account' && g.holderId === r.id);
    const state: AccessState = !grant ? 'missing' : grant.holderKey === keyHash(r.publicKey) ? 'ok' : 'stale';
    return { ...r, state };
  });
}

export type AccessOverview = { totalTips: number; readers: (Reader & { ok: number; stale: number; missing: number })[] };

/** Per reader: tips they can open, tips whose grant predates their current keys, tips they lack. */
export async function accessOverview(ctx: Context): Promise<AccessOverview> {
  const [readers, tipIds, grants] = await Promise.all([readerDirectory(ctx), repo.allTipIds(ctx.db), repo.accountGrantKeys(ctx.db)]);
  return {
    totalTips: tipIds.length,
    readers: readers.map((r) => {
      const own = grants.filter((g) => g.holderId === r.id);
      const ok = own.filter((g) => g.holderKey === keyHash(r.publicKey)).length;
      const stale = own.length - ok;
      return { ...r, ok, stale, missing: tipIds.length - own.length };
    }),
  };
}

export type GrantSource =
  /** A staff member passing on the tips they can open themselves. */
  | { type: 'account'; accountId: string; keyPair: KeyPair }
  /** An administrator (or reviewer) who typed the office recovery key. */
  | { type: 'office'; officeKeyId: string; keyPair: KeyPair };

export type GrantOutcome = { outcome: 'granted'; granted: number; unavailable: number } | { outcome: 'not_reader' } | { outcome: 'no_access' };

/**
 * Seals tips to a reader: one tip, or every tip the source can open. A reader whose keys were
 * replaced (a password reset) gets fresh grants the same way. Each tip granted is audited, in
 * the transaction that stores its grant.
 */
async function grantTips(ctx: Context, source: GrantSource, recipientId: string, onlyTipId?: string): Promise<GrantOutcome> {
  const recipient = (await tipReaders(ctx)).find((r) => r.id === recipientId);
  if (!recipient) return { outcome: 'not_reader' };
  const holderId = source.type === 'account' ? source.accountId : source.officeKeyId;
  const held = onlyTipId
    ? [await repo.findGrant(ctx.db, onlyTipId, source.type, holderId)].filter((g): g is GrantRow => g !== undefined)
    : await repo.grantsOfHolder(ctx.db, source.type, holderId);
  const now = ctx.clock.now().toISOString();
  const rows: { grant: GrantRow; tipKey: Uint8Array }[] = [];
  let unavailable = 0;
  for (const grant of held) {
    const tipKey = await openGrant(grant, source.keyPair);
    if (!tipKey) {
      unavailable++;
      continue;
    }
    rows.push({
      tipKey,
      grant: {
        tipId: grant.tipId,
        holderType: 'account',
        holderId: recipient.id,
        sealedKey: await sealTipKey(tipKey, recipient.publicKey),
        holderKey: keyHash(recipient.publicKey),
        grantedBy: ctx.actor.id,
        grantedAt: now,
      },
    });
  }
  if (onlyTipId && rows.length === 0) return { outcome: 'no_access' };
  const office = await currentOfficeKey(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    for (const { grant, tipKey } of rows) {
      // The tip may have been deleted by retention since the grants were read.
      if (!(await repo.findTip(trx, grant.tipId))) continue;
      await repo.upsertGrant(trx, grant);
      await ensureOfficeGrant(ctx, trx, office, grant.tipId, tipKey);
      await ctx.audit(trx, {
        action: 'tip.grant',
        targetType: 'tip',
        targetId: grant.tipId,
        detail: { to: recipient.id, via: source.type === 'office' ? 'recovery_key' : 'own_access' },
      });
    }
  });
  for (const { tipKey } of rows) tipKey.fill(0);
  return { outcome: 'granted', granted: rows.length, unavailable };
}

/** Shares with a reader the tips this staff member can open themselves: one tip, or every one. */
export async function shareOwnTips(ctx: Context, staff: Staff, recipientId: string, onlyTipId?: string): Promise<GrantOutcome> {
  if (!staff.keyPair) return { outcome: 'no_access' };
  return grantTips(ctx, { type: 'account', accountId: staff.account.id, keyPair: staff.keyPair }, recipientId, onlyTipId);
}

/**
 * Shares every tip with a reader through the office recovery key, as typed. A key that is not
 * the office's current one is refused and the refusal audited; the opened key is wiped after use.
 */
export async function shareWithRecoveryKey(ctx: Context, recoveryKey: string, recipientId: string): Promise<GrantOutcome | { outcome: 'recovery_key_refused' }> {
  const keyPair = await unlockOfficeKey(ctx, recoveryKey);
  try {
    const office = await officePublicKey(ctx);
    if (!keyPair || !office) {
      await ctx.db.transaction().execute((trx) => ctx.audit(trx, { action: 'tip.recovery_key_refused' }));
      return { outcome: 'recovery_key_refused' };
    }
    return await grantTips(ctx, { type: 'office', officeKeyId: office.id, keyPair }, recipientId);
  } finally {
    keyPair?.privateKey.fill(0);
  }
}
