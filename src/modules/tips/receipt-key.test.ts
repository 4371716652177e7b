import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { deriveKey } from '../../core/crypto/argon2.ts';
import type { TipAnswers } from './model.ts';
import { openPartJson, receiptSecrets, unwrapWithReceipt } from './crypto.ts';
import type { TipRow } from './tables.ts';
import { basicTip, createOfficeKey, postTip, receiptFrom } from './testing.ts';

/**
 * The lookup column finds a tip; only the receipt code, through argon2id, gives the key that
 * opens the tipster's copy of the tip key. A stolen database must not turn the lookup into that
 * key: here everything the database holds for a tip (its row, its grants, the office's secrets)
 * and the usual ways of turning one value into a key are tried against the receipt key box.
 */

let t: TestApp;
let receipt: string;
let tip: TipRow;
let grants: Record<string, unknown>[];
let secrets: { name: string; value: string }[];

const LABELS = ['', 'key', 'receipt', 'receipt-key', 'heatwatch tip receipt key v1', 'heatwatch tip receipt lookup v1'];

/** The bytes a stored text could stand for: itself, or what it decodes to. */
function readings(text: string): Buffer[] {
  const out = [Buffer.from(text), Buffer.from(text, 'base64url'), Buffer.from(text, 'base64')];
  if (/^(?:[0-9a-f]{2})+$/i.test(text)) out.push(Buffer.from(text, 'hex'));
  return out.filter((b) => b.length > 0);
}

const sha = (algorithm: string, ...parts: Buffer[]) => createHash(algorithm).update(Buffer.concat(parts)).digest();
const hkdf = (key: Buffer, salt: Buffer, info: string) => Buffer.from(hkdfSync('sha256', key, salt, info, 32));

/** Keys a careless derivation might produce from one value: the value, its hashes, HKDF of it. */
function keysFrom(bytes: Buffer): Buffer[] {
  return [
    bytes,
    bytes.subarray(0, 32),
    bytes.subarray(-32),
    sha('sha256', bytes),
    sha('sha512', bytes).subarray(0, 32),
    sha('sha512', bytes).subarray(32),
    sha('sha3-256', bytes),
    sha('blake2b512', bytes).subarray(0, 32),
    sha('sha256', sha('sha256', bytes)),
    ...LABELS.map((label) => hkdf(bytes, Buffer.alloc(0), label)),
    ...LABELS.map((label) => createHmac('sha256', bytes).update(label).digest()),
    ...LABELS.map((label) => createHmac('sha256', label).update(bytes).digest()),
  ];
}

/** The same, with a secret of the office mixed in. */
function keysFromWith(bytes: Buffer, secret: Buffer): Buffer[] {
  return [
    createHmac('sha256', secret).update(bytes).digest(),
    createHmac('sha256', bytes).update(secret).digest(),
    sha('sha256', secret, bytes),
    sha('sha256', bytes, secret),
    ...LABELS.map((label) => hkdf(bytes, secret, label)),
    ...LABELS.map((label) => hkdf(secret, bytes, label)),
  ];
}

/** Names of the candidate keys that open the tipster's copy of the tip key. */
async function opening(candidates: { name: string; key: Buffer }[]): Promise<string[]> {
  const opened: string[] = [];
  for (const { name, key } of candidates) {
    if (key.length !== 32) continue;
    if (await unwrapWithReceipt(tip.receiptKeyBox, new Uint8Array(key), tip.id)) opened.push(name);
  }
  return opened;
}

/** Whether any `width`-long run of `a` appears in `b`. */
function sharesRun(a: Buffer, b: Buffer, width: number): boolean {
  for (let i = 0; i + width <= a.length; i++) if (b.includes(a.subarray(i, i + width))) return true;
  return false;
}

const salt = () => Buffer.from(secrets.find((s) => s.name === 'tips.receipt_salt')!.value, 'base64');

beforeAll(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
  const res = await postTip(t, basicTip({ whatHappened: 'Receipt key test: the car wash on Fifth Street.' }));
  expect(res.statusCode).toBe(200);
  receipt = receiptFrom(res.body);
  const db = t.app.services.db;
  tip = (await db.selectFrom('tips').selectAll().executeTakeFirstOrThrow()) as TipRow;
  grants = await db.selectFrom('tipGrants').selectAll().where('tipId', '=', tip.id).execute();
  secrets = await db.selectFrom('appSecrets').select(['name', 'value']).execute();
});
afterAll(async () => t.close());

describe('the receipt key', () => {
  it('comes from the receipt code: it opens the tipster copy of the tip key, which opens the tip', async () => {
    const derived = await receiptSecrets(receipt, salt());
    expect(derived.lookup).toBe(tip.receiptLookup);
    const tipKey = await unwrapWithReceipt(tip.receiptKeyBox, derived.key, tip.id);
    expect(tipKey).toBeDefined();
    const answers = await openPartJson<TipAnswers>(tipKey!, tip.id, 'answers', tip.answersBox);
    expect(answers.whatHappened).toBe('Receipt key test: the car wash on Fifth Street.');
  });

  it('cannot be made from the stored lookup value, or from anything else stored for the tip', async () => {
    const candidates: { name: string; key: Buffer }[] = [];
    const stored: [string, string][] = [
      ...Object.entries(tip).map(([column, value]) => [`tips.${column}`, String(value)] as [string, string]),
      ...grants.flatMap((g, i) => Object.entries(g).map(([column, value]) => [`tipGrants[${i}].${column}`, String(value)] as [string, string])),
      ...secrets.map((s) => [`appSecrets.${s.name}`, s.value] as [string, string]),
    ];
    expect(stored.map(([name]) => name)).toContain('tips.receiptLookup');
    for (const [name, value] of stored) {
      readings(value).forEach((bytes, r) => keysFrom(bytes).forEach((key, k) => candidates.push({ name: `${name} reading ${r} key ${k}`, key })));
    }
    // The lookup with each office secret: an HMAC, a keyed hash, HKDF salted with the secret.
    for (const secret of secrets) {
      for (const [r, bytes] of readings(tip.receiptLookup).entries()) {
        keysFromWith(bytes, Buffer.from(secret.value, 'base64')).forEach((key, k) => candidates.push({ name: `lookup reading ${r} with ${secret.name} key ${k}`, key }));
      }
    }
    // argon2id again, over the lookup instead of the code: slow, but no secret at all.
    candidates.push({ name: 'argon2id(lookup, receipt salt)', key: await deriveKey(tip.receiptLookup, salt()) });
    expect(candidates.length).toBeGreaterThan(500);
    expect(await opening(candidates)).toEqual([]);
  });

  it('and the lookup are separate outputs: no bytes of one appear in the other, in any encoding', async () => {
    const { key, lookup } = await receiptSecrets(receipt, salt());
    const keyBytes = Buffer.from(key);
    const lookupBytes = Buffer.from(lookup, 'base64url');
    expect(lookupBytes).toHaveLength(32);
    expect(keyBytes.equals(lookupBytes)).toBe(false);
    expect(sharesRun(keyBytes, lookupBytes, 4)).toBe(false);
    for (const encoding of ['hex', 'base64', 'base64url'] as const) {
      expect(sharesRun(Buffer.from(keyBytes.toString(encoding)), Buffer.from(lookup), 8), encoding).toBe(false);
    }
  });

  it('is not a fast function of the code either: without the argon2id work nothing opens the box', async () => {
    const typed = [receipt, receipt.replace(/(\d{4})(?=\d)/g, '$1 ')].map((code) => Buffer.from(code));
    const candidates = typed.flatMap((code, c) => [
      ...keysFrom(code).map((key, k) => ({ name: `code ${c} key ${k}`, key })),
      ...keysFromWith(code, salt()).map((key, k) => ({ name: `code ${c} with salt key ${k}`, key })),
    ]);
    expect(await opening(candidates)).toEqual([]);
    // Nor is the lookup: each guess against it must cost the same argon2id run.
    const lookupBytes = Buffer.from(tip.receiptLookup, 'base64url');
    expect(candidates.filter((c) => c.key.equals(lookupBytes)).map((c) => c.name)).toEqual([]);
  });
});
