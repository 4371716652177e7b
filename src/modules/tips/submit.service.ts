import type { Context } from '../../core/context.ts';
import { hmac, newId } from '../../core/crypto/server-secret.ts';
import { officePublicKey, tipReaders } from '../accounts/index.ts';
import { identityHolders, tipHolders } from './holders.ts';
import type { CleanFile } from '../../core/uploads/index.ts';
import { type FileMeta, hourOf, type TipAnswers } from './model.ts';
import { keyHash, newReceipt, newTipKey, sealPart, sealTipKey, wrapForReceipt } from './crypto.ts';
import type { ReceiptKeys } from './receipt-keys.ts';
import * as repo from './repo.ts';
import type { TipForm } from './schema.ts';
import type { AttachmentRow, ContactGrantRow, GrantRow, TipRow } from './tables.ts';

export type SubmitInput = { form: TipForm; language: string; files: CleanFile[] };

export type SubmitResult =
  | { outcome: 'stored'; receipt: string; urgent: boolean }
  /** The same form sent again (a double click, a reload): stored once, its code already shown. */
  | { outcome: 'duplicate' }
  /** No office recovery key yet: see `tipLineOpen`. */
  | { outcome: 'closed' };

/**
 * Whether the online form takes tips, and if not why. A tip must never become unreadable to the
 * office as a whole, so every tip is sealed to the office recovery key made at setup: until
 * setup has made one (a fresh install, the demo office) the form is closed and points to the
 * phone lines. Accepting a tip that only its tipster, or only staff whose passwords may be
 * reset, could ever open would tell the person they had reported when, for the office, they
 * might not have. It also stays closed until an account that reads tips exists (its keys are
 * made when it sets its password), so that a tip is read by a person and its urgent alert
 * reaches one, unless an administrator opened it earlier knowing that until then only the
 * recovery key opens tips.
 */
export type TipLineState = 'open' | 'no_office_key' | 'no_reader';

export async function tipLineState(ctx: Context): Promise<TipLineState> {
  if ((await officePublicKey(ctx)) === undefined) return 'no_office_key';
  if ((await ctx.settings.get()).tipLineOpenedEarly) return 'open';
  return (await tipReaders(ctx)).length > 0 ? 'open' : 'no_reader';
}

export async function tipLineOpen(ctx: Context): Promise<boolean> {
  return (await tipLineState(ctx)) === 'open';
}

function answersOf(form: TipForm): TipAnswers {
  return {
    whatHappened: form.whatHappened,
    kind: form.kind,
    where: { address: form.whereAddress, city: form.whereCity, business: form.whereBusiness, details: form.whereDetails },
    when: form.when,
    people: { count: form.peopleCount, ages: form.peopleAges },
    minor: form.minor,
    danger: form.danger,
    signs: form.signs,
    signsOther: form.signsOther,
    vehicles: form.vehicles,
    phones: form.phones,
    online: form.online,
  };
}

/** Encrypts files for a tip; the rows carry only ciphertext and the hour. */
export async function encryptFiles(tipKey: Uint8Array, tipId: string, files: CleanFile[], at: string, messageId: string | null): Promise<AttachmentRow[]> {
  const rows: AttachmentRow[] = [];
  for (const file of files) {
    const id = newId();
    const meta: FileMeta = { name: file.name, mime: file.mime, size: file.size };
    rows.push({
      id,
      tipId,
      messageId,
      at,
      metaBox: await sealPart(tipKey, tipId, `file-meta:${id}`, JSON.stringify(meta)),
      dataBox: await sealPart(tipKey, tipId, `file:${id}`, file.bytes),
    });
  }
  return rows;
}

/** A minor who may be involved makes a tip as urgent as danger now: either may need action today. */
export const isUrgent = (form: Pick<TipForm, 'danger' | 'minor'>): boolean => form.danger === 'yes' || form.minor === 'yes';

/**
 * Stores a tip: a fresh key encrypts the answers and the files; the key is sealed to every
 * account that reads tips, to the office recovery key, and wrapped under the receipt code.
 * The contact details have a key of their own, sealed only to the office recovery key and to
 * accounts that may see a tipster's identity: reading a tip does not reveal who sent it. Nothing about the sender is kept: no address, agent,
 * referrer or precise time (the hour only), and no audit row, which would carry a timestamp.
 */
export async function submitTip(ctx: Context, receipts: ReceiptKeys, input: SubmitInput): Promise<SubmitResult> {
  const office = await officePublicKey(ctx);
  if (!office || !(await tipLineOpen(ctx))) return { outcome: 'closed' };
  const submissionKey = input.form.submissionId ? hmac(ctx.secret, 'tips.submission', input.form.submissionId) : null;
  if (submissionKey && (await repo.submissionExists(ctx.db, submissionKey))) return { outcome: 'duplicate' };

  const readers = await tipHolders(ctx);
  const identity = await identityHolders(ctx);
  const id = newId();
  const tipKey = await newTipKey();
  const receipt = newReceipt();
  const secrets = await receipts.derive(receipt);
  const at = hourOf(ctx.clock.now());
  const urgent = isUrgent(input.form);
  const contact = input.form.contactMode === 'details' ? input.form.contactDetails : undefined;
  const contactKey = contact ? await newTipKey() : undefined;
  try {
    const row: TipRow = {
      id,
      receiptLookup: secrets.lookup,
      receiptKeyBox: await wrapForReceipt(tipKey, secrets.key, id),
      submissionKey,
      kind: input.form.kind,
      urgent: urgent ? 1 : 0,
      minor: input.form.minor,
      language: input.language,
      status: 'new',
      referredTo: null,
      disposition: null,
      assigneeId: null,
      duplicateOf: null,
      receivedAt: at,
      firstReviewedAt: null,
      closedAt: null,
      notifyPending: 1,
      tipsterWaiting: 0,
      messageCount: 0,
      answersBox: await sealPart(tipKey, id, 'answers', JSON.stringify(answersOf(input.form))),
      contactBox: contact && contactKey ? await sealPart(contactKey, id, 'contact', contact) : null,
      tagsBox: null,
      quotaDay: null,
      quotaMessages: 0,
      quotaBytes: 0,
      spamFlaggedAt: null,
    };
    const grants: GrantRow[] = [
      { tipId: id, holderType: 'office', holderId: office.id, sealedKey: await sealTipKey(tipKey, office.publicKey), holderKey: keyHash(office.publicKey), grantedBy: null, grantedAt: at },
    ];
    for (const reader of readers) {
      grants.push({ tipId: id, holderType: 'account', holderId: reader.id, sealedKey: await sealTipKey(tipKey, reader.publicKey), holderKey: keyHash(reader.publicKey), grantedBy: null, grantedAt: at });
    }
    const contactGrants: ContactGrantRow[] = [];
    if (contactKey) {
      for (const holder of [{ type: 'office' as const, ...office }, ...identity.map((h) => ({ type: 'account' as const, ...h }))]) {
        contactGrants.push({ tipId: id, holderType: holder.type, holderId: holder.id, sealedKey: await sealTipKey(contactKey, holder.publicKey), holderKey: keyHash(holder.publicKey), grantedAt: at });
      }
    }
    const files = await encryptFiles(tipKey, id, input.files, at, null);
    const stored = await ctx.db.transaction().execute(async (trx) => {
      if (!(await repo.insertTip(trx, row))) return false;
      await repo.insertGrants(trx, grants);
      await repo.insertContactGrants(trx, contactGrants);
      await repo.insertAttachments(trx, files);
      return true;
    });
    return stored ? { outcome: 'stored', receipt, urgent } : { outcome: 'duplicate' };
  } finally {
    tipKey.fill(0);
    contactKey?.fill(0);
    secrets.key.fill(0);
  }
}
