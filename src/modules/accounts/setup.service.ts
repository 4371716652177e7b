import type { Context } from '../../core/context.ts';
import { hashSecret } from '../../core/crypto/argon2.ts';
import { deleteAppSecret, findAppSecret, newId, replaceAppSecret, safeEqual } from '../../core/crypto/server-secret.ts';
import { fromBase64, generateKeyPair, type KeyPair, publicKeyOf } from '../../core/crypto/sodium.ts';
import { AppError } from '../../core/http/errors.ts';
import { demoSettings, type OfficeSettings } from '../../core/settings/settings.ts';
import type { Db } from '../../database.ts';
import { actorOf } from '../../core/auth/staff.ts';
import { AccountInputError, hashToken, newAccountRow } from './accounts.service.ts';
import { createAccountKeys, fingerprint } from './keys.ts';
import { passwordProblem } from './passwords.ts';
import * as repo from './repo.ts';
import type { AccountRow } from './tables.ts';
import { randomToken } from './totp.ts';

const SETUP_TOKEN = 'setup_token';

export async function setupNeeded(db: Db): Promise<boolean> {
  return (await repo.countActiveWithRole(db, 'administrator')) === 0;
}

/**
 * While no administrator exists, makes a fresh one-time setup token (replacing any older one)
 * and returns it for the server log. Returns undefined once setup is done.
 */
export async function issueSetupToken(ctx: Context): Promise<string | undefined> {
  if (!(await setupNeeded(ctx.db))) return undefined;
  const token = randomToken();
  await ctx.db.transaction().execute((trx) => replaceAppSecret(trx, SETUP_TOKEN, hashToken(token), ctx.clock.now()));
  return token;
}

export async function setupTokenValid(ctx: Context, token: unknown): Promise<boolean> {
  if (typeof token !== 'string' || token.length < 20) return false;
  const stored = await findAppSecret(ctx.db, SETUP_TOKEN);
  return stored !== undefined && safeEqual(stored, hashToken(token)) && (await setupNeeded(ctx.db));
}

/** The office recovery private key as 16 groups of 4 hex digits: easy to print and to type back. */
export function formatRecoveryKey(privateKey: Uint8Array): string {
  return `HWRK-${Buffer.from(privateKey).toString('hex').toUpperCase().match(/.{4}/g)!.join('-')}`;
}

/** Reads a recovery key typed or pasted back, forgiving spaces, dashes and case. */
export function parseRecoveryKey(text: string): Uint8Array | undefined {
  const hex = text.toUpperCase().replace(/^\s*HWRK/, '').replace(/[^0-9A-F]/g, '');
  return hex.length === 64 ? new Uint8Array(Buffer.from(hex, 'hex')) : undefined;
}

/** The office key pair from a typed recovery key, if it matches the office's current public key. */
export async function unlockOfficeKey(ctx: Context, text: string): Promise<KeyPair | undefined> {
  const privateKey = parseRecoveryKey(text);
  const active = await repo.activeOfficeKey(ctx.db);
  if (!privateKey || !active) return undefined;
  const publicKey = await publicKeyOf(privateKey);
  return Buffer.from(publicKey).equals(Buffer.from(fromBase64(active.publicKey))) ? { publicKey, privateKey } : undefined;
}

/** Public contact settings whose demo values are placeholders, not an office's. */
const DEMO_PLACEHOLDERS = ['contactEmail', 'contactAddress', 'officePhone', 'facebookUrl', 'twitterUrl', 'instagramUrl'] as const;

export type SetupInput = {
  officeName: string;
  county: string;
  state: string;
  localTipPhone: string;
  languages: string[];
  adminName: string;
  adminEmail: string;
  password: string;
  /** Remove the demo data other modules seeded (absent: kept, as for a setup from the CLI). */
  removeDemo?: boolean;
  /** The public map's centre; each part absent keeps the current one. */
  mapLat?: number | undefined;
  mapLng?: number | undefined;
  mapZoom?: number | undefined;
  /** The county's third language for Civil Code 52.6 notices; absent keeps the current one. */
  noticeThirdLanguage?: string | undefined;
};

/**
 * Finishes first-run setup in one transaction: office settings, the first administrator and
 * the office recovery key pair. The private half is returned to show once and is never stored.
 */
export async function completeSetup(ctx: Context, token: string, input: SetupInput): Promise<{ account: AccountRow; keyPair: KeyPair; recoveryKey: string; fingerprint: string }> {
  if (!(await setupTokenValid(ctx, token))) throw new AppError('not_found');
  const problem = passwordProblem(input.password, { email: input.adminEmail, name: input.adminName });
  if (problem) throw new AccountInputError('password', problem);
  const now = ctx.clock.now().toISOString();
  const id = newId();
  const keys = await createAccountKeys(id, input.password);
  const office = await generateKeyPair();
  const account = newAccountRow({
    id,
    email: input.adminEmail.trim().toLowerCase(),
    displayName: input.adminName.trim(),
    locale: input.languages[0] ?? 'en',
    passwordHash: await hashSecret(input.password),
    keys,
    now,
  });
  const officeFingerprint = fingerprint(office.publicKey);
  const settings: Partial<OfficeSettings> = {
    officeName: input.officeName,
    county: input.county,
    state: input.state,
    localTipPhone: input.localTipPhone,
    languages: input.languages,
    demo: false,
  };
  // The demo office's contact and social placeholders must never pass for this office's: setup
  // does not ask for them, so they are cleared (an empty field is not shown) and the console's
  // setup checklist asks for the real ones.
  const current = await ctx.settings.get();
  for (const key of DEMO_PLACEHOLDERS) if (current[key] === demoSettings[key]) settings[key] = '';
  settings.mapCenter = { lat: input.mapLat ?? current.mapCenter.lat, lng: input.mapLng ?? current.mapCenter.lng, zoom: input.mapZoom ?? current.mapCenter.zoom };
  if (input.noticeThirdLanguage !== undefined) settings.noticeThirdLanguage = input.noticeThirdLanguage;
  await ctx.db.transaction().execute(async (trx) => {
    // Re-checked inside the transaction: two browsers finishing setup at once make one office.
    if (!(await setupNeeded(trx))) throw new AppError('not_found');
    await deleteAppSecret(trx, SETUP_TOKEN);
    await repo.insertAccount(trx, account, ['administrator']);
    await repo.insertOfficeKey(trx, { id: newId(), publicKey: Buffer.from(office.publicKey).toString('base64'), fingerprint: officeFingerprint, createdBy: id, createdAt: now, retiredAt: null });
    await ctx.settings.update(settings, trx);
    for (const hook of ctx.officeSetUp) await hook(trx, { removeDemo: input.removeDemo === true, actor: actorOf(account) });
    await ctx.audit(trx, { actor: actorOf(account), action: 'setup.completed', targetType: 'account', targetId: id });
    await ctx.audit(trx, { actor: actorOf(account), action: 'office_key.created', targetType: 'office_key', detail: { fingerprint: officeFingerprint } });
  });
  ctx.settings.invalidate();
  return { account, keyPair: keys.keyPair, recoveryKey: formatRecoveryKey(office.privateKey), fingerprint: officeFingerprint };
}
