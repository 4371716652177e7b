import { createHash, hkdfSync, randomInt } from 'node:crypto';
import { deriveKey } from '../../core/crypto/argon2.ts';
import { decrypt, encrypt, fromBase64, type KeyPair, openSealed, randomKey, seal, toBase64 } from '../../core/crypto/sodium.ts';

/**
 * The tip envelope, built only from core/crypto: every tip has its own random key; each part
 * of the tip is encrypted with it (XChaCha20-Poly1305) under a context naming the tip and the
 * part, so no ciphertext can be moved to another tip or another part; the key itself is sealed
 * (sealed box) to each holder: a staff account, the office recovery key, and the receipt code.
 */

export const RECEIPT_DIGITS = 16;

/** 16 random decimal digits: 10^16 ≈ 2^53.15 possible codes, each digit from the CSPRNG. */
export function newReceipt(): string {
  let code = '';
  for (let i = 0; i < RECEIPT_DIGITS; i++) code += String(randomInt(10));
  return code;
}

/** `1234 5678 9012 3456`: four groups, easy to read aloud and to copy on paper. */
export function formatReceipt(receipt: string): string {
  return receipt.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** Reads a code as typed: spaces, dashes and dots are ignored; anything else is not a code. */
export function parseReceipt(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const digits = text.replace(/[\s.\-–]/g, '');
  return new RegExp(`^\\d{${RECEIPT_DIGITS}}$`).test(digits) ? digits : undefined;
}

const EMPTY = Buffer.alloc(0);

/**
 * What the receipt code gives the server: a lookup value (to find the tip) and a key (to open
 * the tip key wrapped for the tipster). Both come from one argon2id run over the code with
 * the office's receipt salt, split with HKDF under two different labels.
 *
 * Why not an HMAC with the server secret for the lookup? That secret lives in the same
 * database, so a stolen copy could test codes at HMAC speed against every tip at once: with
 * a thousand tips, 10^16 codes fall in minutes on one GPU. With argon2id (19 MiB, 2 passes)
 * every guess costs tens of milliseconds of memory-hard work, and 10^16 guesses stay out of reach.
 *
 * Why not a second argon2id with a per-tip salt, for verification or for the key? The lookup
 * column is itself the verifier (an equality on a 256-bit argon2id output), and an attacker
 * who can test a guess against it learns the code, after which a per-tip salt costs them one
 * more hash. A per-tip salt would add no strength, and would double the CPU of every
 * submission and every follow-up check, which is what the throttle and the tipster wait on.
 */
export async function receiptSecrets(receipt: string, officeSalt: Buffer): Promise<{ lookup: string; key: Uint8Array }> {
  const master = await deriveKey(receipt, officeSalt);
  const lookup = Buffer.from(hkdfSync('sha256', master, EMPTY, 'heatwatch tip receipt lookup v1', 32)).toString('base64url');
  const key = new Uint8Array(hkdfSync('sha256', master, EMPTY, 'heatwatch tip receipt key v1', 32));
  master.fill(0);
  return { lookup, key };
}

/** Names one encrypted part of one tip: authenticated with its ciphertext. */
export type TipPart = 'answers' | 'contact' | 'tags' | 'receipt-key' | `message:${string}` | `note:${string}` | `file:${string}` | `file-meta:${string}`;

const context = (tipId: string, part: TipPart) => `tip:${tipId}:${part}`;

export const newTipKey = (): Promise<Uint8Array> => randomKey();

/** Encrypts one part of a tip with its key; base64 for a text column. */
export async function sealPart(tipKey: Uint8Array, tipId: string, part: TipPart, plaintext: Uint8Array | string): Promise<string> {
  return toBase64(await encrypt(tipKey, plaintext, context(tipId, part)));
}

export async function openPart(tipKey: Uint8Array, tipId: string, part: TipPart, box: string): Promise<Uint8Array> {
  return decrypt(tipKey, fromBase64(box), context(tipId, part));
}

export async function openPartText(tipKey: Uint8Array, tipId: string, part: TipPart, box: string): Promise<string> {
  return new TextDecoder().decode(await openPart(tipKey, tipId, part, box));
}

export async function openPartJson<T>(tipKey: Uint8Array, tipId: string, part: TipPart, box: string): Promise<T> {
  return JSON.parse(await openPartText(tipKey, tipId, part, box)) as T;
}

/** The tip key in a sealed box only the holder of `publicKey`'s private key can open. */
export async function sealTipKey(tipKey: Uint8Array, publicKey: Uint8Array): Promise<string> {
  return toBase64(await seal(tipKey, publicKey));
}

/** Names the public key a grant was sealed to, so a grant to since-replaced keys shows as stale. */
export function keyHash(publicKey: Uint8Array): string {
  return createHash('sha256').update(publicKey).digest('base64url').slice(0, 22);
}

/** Opens a sealed tip key; throws when the key pair is not the one it was sealed to. */
export async function openTipKey(sealedKey: string, keyPair: KeyPair): Promise<Uint8Array> {
  return openSealed(fromBase64(sealedKey), keyPair);
}

/** The tip key wrapped for the tipster under the receipt-derived key. */
export async function wrapForReceipt(tipKey: Uint8Array, receiptKey: Uint8Array, tipId: string): Promise<string> {
  return sealPart(receiptKey, tipId, 'receipt-key', tipKey);
}

/** Opens the tipster's copy of the tip key; undefined when the code does not fit this tip. */
export async function unwrapWithReceipt(box: string, receiptKey: Uint8Array, tipId: string): Promise<Uint8Array | undefined> {
  try {
    return await openPart(receiptKey, tipId, 'receipt-key', box);
  } catch {
    return undefined;
  }
}
